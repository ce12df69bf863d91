-- Running totals of the live reports per organisation and plan item, kept by triggers: a
-- national digest sums about 150,000 of these instead of counting 500,000 reports.
CREATE TABLE report_totals (
    campaign_id INTEGER NOT NULL,
    area_id INTEGER NOT NULL,
    item_id INTEGER NOT NULL,
    reports INTEGER NOT NULL,
    people INTEGER NOT NULL,
    children INTEGER NOT NULL,
    parents INTEGER NOT NULL,
    specialists INTEGER NOT NULL,
    others INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, area_id, item_id)
) WITHOUT ROWID;

INSERT INTO report_totals
SELECT campaign_id, area_id, item_id, COUNT(*), SUM(total), SUM(COALESCE(children, 0)),
       SUM(COALESCE(parents, 0)), SUM(COALESCE(specialists, 0)), SUM(COALESCE(others, 0))
FROM reports WHERE deleted_at IS NULL
GROUP BY campaign_id, area_id, item_id;

CREATE TRIGGER report_totals_added AFTER INSERT ON reports WHEN NEW.deleted_at IS NULL
BEGIN
    INSERT INTO report_totals VALUES (
        NEW.campaign_id, NEW.area_id, NEW.item_id, 1, NEW.total, COALESCE(NEW.children, 0),
        COALESCE(NEW.parents, 0), COALESCE(NEW.specialists, 0), COALESCE(NEW.others, 0))
    ON CONFLICT (campaign_id, area_id, item_id) DO UPDATE SET
        reports = reports + 1, people = people + excluded.people,
        children = children + excluded.children, parents = parents + excluded.parents,
        specialists = specialists + excluded.specialists, others = others + excluded.others;
END;

CREATE TRIGGER report_totals_removed AFTER DELETE ON reports WHEN OLD.deleted_at IS NULL
BEGIN
    UPDATE report_totals SET
        reports = reports - 1, people = people - OLD.total,
        children = children - COALESCE(OLD.children, 0),
        parents = parents - COALESCE(OLD.parents, 0),
        specialists = specialists - COALESCE(OLD.specialists, 0),
        others = others - COALESCE(OLD.others, 0)
    WHERE campaign_id = OLD.campaign_id AND area_id = OLD.area_id AND item_id = OLD.item_id;
END;

CREATE TRIGGER report_totals_changed AFTER UPDATE OF
    campaign_id, area_id, item_id, total, children, parents, specialists, others, deleted_at
ON reports
BEGIN
    UPDATE report_totals SET
        reports = reports - 1, people = people - OLD.total,
        children = children - COALESCE(OLD.children, 0),
        parents = parents - COALESCE(OLD.parents, 0),
        specialists = specialists - COALESCE(OLD.specialists, 0),
        others = others - COALESCE(OLD.others, 0)
    WHERE OLD.deleted_at IS NULL
        AND campaign_id = OLD.campaign_id AND area_id = OLD.area_id AND item_id = OLD.item_id;
    INSERT INTO report_totals
    SELECT NEW.campaign_id, NEW.area_id, NEW.item_id, 1, NEW.total, COALESCE(NEW.children, 0),
           COALESCE(NEW.parents, 0), COALESCE(NEW.specialists, 0), COALESCE(NEW.others, 0)
    WHERE NEW.deleted_at IS NULL
    ON CONFLICT (campaign_id, area_id, item_id) DO UPDATE SET
        reports = reports + 1, people = people + excluded.people,
        children = children + excluded.children, parents = parents + excluded.parents,
        specialists = specialists + excluded.specialists, others = others + excluded.others;
END;

-- The day's reports, for the digest's "today" figures, answered from the index alone.
DROP INDEX reports_by_campaign_day;
CREATE INDEX reports_by_campaign_day ON reports(
    campaign_id, held_on, area_id, item_id, deleted_at, total
);
