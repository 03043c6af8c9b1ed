-- The audit page reads its filter choices with GROUP BY actor / action and filters by environment newest first;
-- without these indexes each page view scanned every audit row (measured by `npm run bench:pages`).
CREATE INDEX "AuditEvent_actor_idx" ON "AuditEvent"("actor");
CREATE INDEX "AuditEvent_action_idx" ON "AuditEvent"("action");
CREATE INDEX "AuditEvent_environmentId_id_idx" ON "AuditEvent"("environmentId", "id");
