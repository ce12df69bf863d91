-- Campaigns year after year. Which campaign is current is no longer stored (campaigns.active is
-- not read any more): it is the one that has begun its preparation last (bot/domain/campaigns.py).
-- Reports and cases keep the campaign current on their date in campaign_id; hotline contacts
-- belong to a campaign by date range, from its preparation start to the next one's.

-- A case flagged while no plan was loaded gets the campaign current on its date (Kazakhstan
-- time, UTC+5); of two plans of one year, the one loaded last.
UPDATE cases SET campaign_id = (
    SELECT c.id FROM campaigns c
    WHERE c.preparation_start <= date(cases.created_at, '+5 hours')
        AND c.id = (SELECT MAX(y.id) FROM campaigns y WHERE y.year = c.year)
    ORDER BY c.preparation_start DESC, c.id DESC
    LIMIT 1
)
WHERE campaign_id IS NULL;

-- A campaign's cases by the end of a day, and its contacts between two moments, per area: the
-- digest and the final report set them against the previous year's.
CREATE INDEX cases_by_campaign_day ON cases(campaign_id, area_path, created_at);
CREATE INDEX contacts_by_area_day ON contacts(area_path, created_at);
