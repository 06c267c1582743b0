-- conflicts: how conflicts between agents ended, one row per resolution kind.
--
-- Parameters:
--   since  DateTime64(3, 'UTC')  count conflicts detected at or after this instant (code default: 30 days ago)
--
-- Columns:
--   resolution  consensus | vote (discussion.resolved) | human (conflict.decided after an escalation)
--               | undecided (escalated or still open, no decision yet)
--   conflicts   conflicts that ended so
--   share       conflicts / all conflicts detected
--   avgRounds   mean number of discussion rounds completed (0 when it went straight to a vote)
--   escalated   of which escalated to a person
--
-- A conflict is (run_id, conflict_id): conflict ids are numbered per run.
--
-- clickhouse-client --param_since='2026-01-01 00:00:00' --queries-file analytics/queries/conflicts.sql
WITH
    per_conflict AS (
        SELECT
            run_id,
            conflict_id,
            multiIf(
                countIf(type = 'conflict.decided') > 0, 'human',
                countIf(type = 'discussion.resolved') > 0,
                    toString(argMaxIf(outcome, seq, type = 'discussion.resolved')),
                'undecided'
            ) AS resolution,
            maxIf(round, type = 'discussion.round.completed') AS rounds,
            countIf(type = 'discussion.escalated') > 0 AS escalated
        FROM run_events
        WHERE
            type IN (
                'conflict.detected', 'discussion.round.completed', 'discussion.resolved', 'discussion.escalated',
                'conflict.decided'
            )
            AND at >= {since:DateTime64(3, 'UTC')}
        GROUP BY run_id, conflict_id
        HAVING countIf(type = 'conflict.detected') > 0
    )
SELECT
    resolution,
    count() AS conflicts,
    conflicts / sum(conflicts) OVER () AS share,
    avg(rounds) AS avgRounds,
    countIf(escalated) AS escalated
FROM per_conflict
GROUP BY resolution
ORDER BY conflicts DESC, resolution
