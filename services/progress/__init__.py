"""Progress: activity aggregates kept as events are written, streaks and the heat map in the learner's
time zone, achievements, the dashboard, the report, the data export and account deletion."""
