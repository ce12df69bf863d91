-- What each scheduled job did and for which day, so a restart neither skips nor repeats a run.
CREATE TABLE job_runs (
    job TEXT NOT NULL,
    run_key TEXT NOT NULL,              -- usually the Kazakhstan date the run is for
    started_at TEXT NOT NULL,
    finished_at TEXT,
    queued INTEGER NOT NULL DEFAULT 0,  -- messages queued by the run
    PRIMARY KEY (job, run_key)
);
CREATE INDEX reports_by_campaign_day ON reports(campaign_id, held_on);
