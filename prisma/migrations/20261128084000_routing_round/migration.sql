-- Routing: one decision round as one statement. The whole round (presence, agents gone offline,
-- reopened conversations, the queue) runs inside PostgreSQL under the routing advisory lock, so
-- the lock is held only while PostgreSQL works, never across a round trip to a server process
-- that may be waiting for a CPU. Called by server/support/routing/routing.service.ts, which
-- describes the rules; it returns what changed so that the caller can publish it.
CREATE FUNCTION support_routing_round(
  grace_seconds integer,
  auto_assign boolean,
  default_capacity integer,
  max_assignments integer
) RETURNS TABLE (
  presence_changed uuid[],
  changed_conversations uuid[],
  lock_wait_ms double precision,
  decide_ms double precision
) LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz := clock_timestamp();
  locked timestamptz;
  went_offline uuid[];
  changed uuid[] := '{}';
  requeued uuid[];
  reopened record;
  item record;
  agent_ids uuid[];
  agent_open integer[];
  agent_capacity integer[];
  agent_last timestamptz[];
  spare integer;
  best integer;
  n integer;
  assigned_at timestamptz;
  assigned_count integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('support:auto-assign'));
  locked := clock_timestamp();

  -- 1. Presence: the chosen availability while connected (a socket on a live process, or the last
  --    one closed within the grace period), else offline.
  WITH seen AS (
    SELECT c."adminId", max(CASE WHEN c."socketCount" > 0 THEN h."seenAt" ELSE c."lastSeenAt" END) AS at
    FROM "AgentConnection" c LEFT JOIN "SupportNodeHeartbeat" h ON h."nodeId" = c."nodeId"
    GROUP BY c."adminId"
  ), computed AS (
    SELECT a.id, a.presence AS before,
           CASE WHEN s.at > now() - make_interval(secs => grace_seconds) THEN a.availability
                ELSE 'offline'::"AgentAvailability" END AS after
    FROM "AdminProfile" a LEFT JOIN seen s ON s."adminId" = a.id
  ), updated AS (
    UPDATE "AdminProfile" a SET presence = computed.after
    FROM computed WHERE a.id = computed.id AND computed.before <> computed.after
    RETURNING a.id, computed.after
  )
  SELECT coalesce(array_agg(id), '{}'), coalesce(array_agg(id) FILTER (WHERE after = 'offline'), '{}')
  INTO presence_changed, went_offline FROM updated;

  -- 2. The open conversations of agents who went offline wait in the queue again.
  IF auto_assign AND cardinality(went_offline) > 0 THEN
    WITH back AS (
      UPDATE "SupportConversation" SET "adminId" = NULL, "queuedAt" = now(), "queueReason" = 'requeued', "updatedAt" = now()
      WHERE status = 'open' AND "adminId" = ANY(went_offline) RETURNING id
    )
    SELECT coalesce(array_agg(id), '{}') INTO requeued FROM back;
    changed := changed || requeued;
  END IF;

  -- 3. Reopened by the user: the previous agent keeps it only if online with spare capacity.
  FOR reopened IN
    SELECT c.id, c."adminId" AS admin_id,
           (a.presence = 'online' AND
            (SELECT count(*) FROM "SupportConversation" o WHERE o."adminId" = a.id AND o.status = 'open' AND o.id <> c.id)
              < COALESCE(a."maxOpenConversations", default_capacity)) IS TRUE AS keep
    FROM "SupportConversation" c LEFT JOIN "AdminProfile" a ON a.id = c."adminId"
    WHERE c."reopenPending" FOR UPDATE OF c
  LOOP
    IF auto_assign AND NOT reopened.keep THEN
      UPDATE "SupportConversation" SET "reopenPending" = false, "adminId" = NULL, "queuedAt" = now(),
             "queueReason" = 'auto', "updatedAt" = now()
      WHERE id = reopened.id;
      changed := changed || reopened.id;
    ELSE
      UPDATE "SupportConversation" SET "reopenPending" = false WHERE id = reopened.id;
      IF auto_assign AND reopened.admin_id IS NOT NULL THEN
        INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
        VALUES ('SUPPORT_CONVERSATION_ASSIGNED', 'system', NULL, 'SupportConversation', reopened.id::text,
                jsonb_build_object('conversationId', reopened.id, 'adminId', reopened.admin_id,
                                   'previousAdminId', NULL, 'autoAssigned', true, 'reason', 'reopened'));
      END IF;
    END IF;
  END LOOP;

  -- 4. The queue, oldest first, to online agents with spare capacity: least loaded first, ties to
  --    whoever received a conversation longest ago (never = first), then by id.
  IF auto_assign THEN
    SELECT array_agg(a.id ORDER BY a.id), array_agg(a.open ORDER BY a.id),
           array_agg(a.capacity ORDER BY a.id), array_agg(a."lastAssignedAt" ORDER BY a.id)
    INTO agent_ids, agent_open, agent_capacity, agent_last
    FROM (
      SELECT p.id, p."lastAssignedAt", COALESCE(p."maxOpenConversations", default_capacity) AS capacity,
             (SELECT count(*)::integer FROM "SupportConversation" c WHERE c."adminId" = p.id AND c.status = 'open') AS open
      FROM "AdminProfile" p JOIN "AdminRole" r ON r.id = p."roleId" JOIN "User" u ON u.id = p."userId"
      WHERE p.presence = 'online' AND 'SUPPORT_CHAT' = ANY(r.permissions) AND u."isActive"
    ) a;
    n := coalesce(cardinality(agent_ids), 0);
    spare := 0;
    FOR i IN 1 .. n LOOP
      spare := spare + greatest(0, agent_capacity[i] - agent_open[i]);
    END LOOP;

    IF spare > 0 THEN
      FOR item IN
        SELECT c.id, c."queueReason" FROM "SupportConversation" c
        WHERE c.status = 'open' AND c."adminId" IS NULL
        ORDER BY c."queuedAt", c.id LIMIT least(spare, max_assignments)
        FOR UPDATE
      LOOP
        best := NULL;
        FOR i IN 1 .. n LOOP
          CONTINUE WHEN agent_open[i] >= agent_capacity[i];
          IF best IS NULL
             OR agent_open[i] < agent_open[best]
             OR (agent_open[i] = agent_open[best] AND agent_last[i] IS NULL AND agent_last[best] IS NOT NULL)
             OR (agent_open[i] = agent_open[best] AND agent_last[i] < agent_last[best]) THEN
            best := i;
          END IF;
        END LOOP;
        EXIT WHEN best IS NULL;
        -- Later decisions of one round count as later (the round-robin tie-break).
        assigned_at := locked + make_interval(secs => assigned_count / 1000.0);
        -- An agent's first reply may have taken it meanwhile (that path does not take the lock).
        UPDATE "SupportConversation" SET "adminId" = agent_ids[best], "updatedAt" = now()
        WHERE id = item.id AND "adminId" IS NULL AND status = 'open';
        CONTINUE WHEN NOT FOUND;
        INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
        VALUES ('SUPPORT_CONVERSATION_ASSIGNED', 'system', NULL, 'SupportConversation', item.id::text,
                jsonb_build_object('conversationId', item.id, 'adminId', agent_ids[best], 'previousAdminId', NULL,
                                   'autoAssigned', true,
                                   'reason', CASE WHEN item."queueReason" = 'requeued' THEN 'requeued' ELSE 'auto' END));
        agent_open[best] := agent_open[best] + 1;
        agent_last[best] := assigned_at;
        assigned_count := assigned_count + 1;
        changed := changed || item.id;
      END LOOP;

      FOR i IN 1 .. n LOOP
        IF agent_last[i] >= locked THEN
          UPDATE "AdminProfile" SET "lastAssignedAt" = agent_last[i] WHERE id = agent_ids[i];
        END IF;
      END LOOP;
    END IF;
  END IF;

  changed_conversations := changed;
  lock_wait_ms := extract(epoch FROM locked - started) * 1000;
  decide_ms := extract(epoch FROM clock_timestamp() - locked) * 1000;
  RETURN NEXT;
END;
$$;
