-- The digests count reports, cases and contacts of an area from these indexes alone, without
-- reading the rows (whose free texts make up most of each table): a national digest reads half
-- a million reports.
DROP INDEX reports_by_area;
CREATE INDEX reports_by_area ON reports(
    campaign_id, area_id, item_id, held_on, deleted_at, total, children, parents, specialists, others
);

DROP INDEX cases_by_area;
CREATE INDEX cases_by_area ON cases(
    area_path, status, classification, place_type, campaign_id, urgent, created_at, accepted_at
);

DROP INDEX contacts_by_area;
CREATE INDEX contacts_by_area ON contacts(
    area_path, status, category, urgency, channel, created_at, taken_at
);
