-- A user opens a conversation: the open-conversation cap is counted under a per-user lock (so
-- parallel requests of one user cannot all pass), and the conversation and its audit record are
-- inserted, in one round trip. The first message follows in the caller's transaction through the
-- one message write path. Called by server/support/conversation-open.ts.
--
-- Returns how many conversations the user had open before; when that is already the cap, nothing
-- is inserted and the caller refuses the request.
CREATE FUNCTION support_open_conversation(
  conversation_id uuid,
  user_id uuid,
  user_type "UserType",
  subject text,
  order_id uuid,
  max_open integer,
  audit_action text,
  audit_actor_type text,
  audit_actor_id uuid,
  audit_metadata jsonb
) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  open_before integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('support:conversation-create'), hashtext(user_id::text));
  -- A statement after the lock: its snapshot sees every conversation committed before we got it.
  SELECT count(*)::integer INTO open_before
    FROM "SupportConversation" c WHERE c."userId" = user_id AND c.status <> 'resolved';
  IF open_before >= max_open THEN
    RETURN open_before;
  END IF;
  INSERT INTO "SupportConversation" (id, "userId", "userType", subject, "orderId")
  VALUES (conversation_id, user_id, user_type, subject, order_id);
  INSERT INTO "AuditLog" (action, "actorType", "actorId", "targetType", "targetId", metadata)
  VALUES (audit_action, audit_actor_type, audit_actor_id, 'SupportConversation', conversation_id::text, audit_metadata);
  RETURN open_before;
END $$;
