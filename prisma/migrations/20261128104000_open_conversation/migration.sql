-- Users opening conversations, many at once: server/support/conversation-open.ts writes the
-- creations that arrive together in one transaction, and calls this first. It takes each user's
-- creation lock (in user-id order, so that two batches never wait on each other in a cycle) and
-- only then counts each user's conversations not yet resolved: parallel requests of one user
-- cannot all pass the open cap. The locks are held until the caller's transaction ends.
CREATE FUNCTION support_lock_open_counts(user_ids uuid[])
RETURNS TABLE (user_id uuid, open_count integer) LANGUAGE plpgsql AS $$
DECLARE
  locked uuid;
BEGIN
  FOREACH locked IN ARRAY ARRAY(SELECT DISTINCT u FROM unnest(user_ids) u ORDER BY u) LOOP
    PERFORM pg_advisory_xact_lock(hashtext('support:conversation-create'), hashtext(locked::text));
  END LOOP;
  -- A statement after the locks: its snapshot sees every conversation committed before we got them.
  RETURN QUERY
    SELECT u, (SELECT count(*)::integer FROM "SupportConversation" c WHERE c."userId" = u AND c.status <> 'resolved')
    FROM unnest(user_ids) u;
END $$;
