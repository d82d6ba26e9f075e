// Due notifications in bulk, as if an agent had replied in `count` conversations of one driver a
// while ago: conversations, the agent's replies and their outbox rows, written with set-based SQL.
import type { Db } from '../../server/db/client.js';

export async function seedDueNotifications(db: Db, count: number): Promise<{ userId: string; email: string }> {
  const [seeded] = await db.$queryRawUnsafe<{ userId: string; email: string }[]>(
    `WITH u AS (
       INSERT INTO "User"(email, "passwordHash", role)
       VALUES ('outbox-' || gen_random_uuid() || '@bench.test', 'x', 'driver') RETURNING id, email
     ), dp AS (
       INSERT INTO "DriverProfile"("userId", "fullName", phone, city, "vehicleType")
       SELECT id, 'Outbox Driver', '+44 7700 900001', 'Leeds', 'bike' FROM u
     ), role AS (
       INSERT INTO "AdminRole"(name, permissions) VALUES ('outbox-' || gen_random_uuid(), '{SUPPORT_CHAT}') RETURNING id
     ), au AS (
       INSERT INTO "User"(email, "passwordHash", role)
       VALUES ('outbox-agent-' || gen_random_uuid() || '@bench.test', 'x', 'admin') RETURNING id
     ), admin AS (
       INSERT INTO "AdminProfile"("userId", "roleId", "displayName")
       SELECT au.id, role.id, 'Outbox Agent' FROM au, role RETURNING id
     ), c AS (
       INSERT INTO "SupportConversation"("userId", "userType", "adminId", subject, "lastSeq", "unreadForUser")
       SELECT u.id, 'driver', admin.id, 'Bench topic', 1, 1 FROM u, admin, generate_series(1, $1::int)
       RETURNING id, "userId", "adminId"
     ), m AS (
       INSERT INTO "SupportMessage"("conversationId", "senderType", "senderAdminId", body, seq)
       SELECT c.id, 'admin', c."adminId", 'bench reply', 1 FROM c
       RETURNING id, "conversationId"
     ), o AS (
       INSERT INTO "NotificationOutbox"("conversationId", "userId", "lastMessageId", "dueAt")
       SELECT m."conversationId", c."userId", m.id, now() FROM m JOIN c ON c.id = m."conversationId"
     )
     SELECT id AS "userId", email FROM u`,
    count,
  );
  if (!seeded) throw new Error('seeding failed');
  return seeded;
}
