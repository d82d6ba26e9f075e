// The message_seq migration numbers the messages that already exist: 1, 2, 3, ... per
// conversation in createdAt order, and sets each conversation's lastSeq to its newest number.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyMigrations, DEFAULT_MIGRATIONS_DIR } from '../../server/db/migrator.js';
import { createEmptyDatabase } from '../helpers/database.js';

const SEQ_MIGRATION = '20261128053000_message_seq';

describe('migration message_seq', () => {
  let database: Awaited<ReturnType<typeof createEmptyDatabase>>;
  let before: string;

  beforeAll(async () => {
    database = await createEmptyDatabase();
    // The migrations up to (not including) message_seq, in a folder of their own.
    before = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-before-seq-'));
    for (const name of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) {
      if (name >= SEQ_MIGRATION) continue;
      fs.cpSync(path.join(DEFAULT_MIGRATIONS_DIR, name), path.join(before, name), { recursive: true });
    }
  });
  afterAll(async () => {
    await database.drop();
    fs.rmSync(before, { recursive: true, force: true });
  });

  it('backfills seq in createdAt order and lastSeq per conversation', async () => {
    await applyMigrations({ databaseUrl: database.url, migrationsDir: before });
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const {
        rows: [user],
      } = await client.query(
        `INSERT INTO "User"(email, "passwordHash", role) VALUES ('a@b.test', 'x', 'driver') RETURNING id`,
      );
      const conversation = async () =>
        (
          await client.query(
            `INSERT INTO "SupportConversation"("userId", "userType") VALUES ($1, 'driver') RETURNING id`,
            [user.id],
          )
        ).rows[0].id as string;
      const [busy, quiet, empty] = [await conversation(), await conversation(), await conversation()];
      // Inserted out of time order: the numbers must follow createdAt, not insertion.
      for (const [conversationId, minute] of [
        [busy, 3],
        [busy, 1],
        [quiet, 5],
        [busy, 2],
      ] as const) {
        await client.query(
          `INSERT INTO "SupportMessage"("conversationId", "senderType", body, "createdAt")
           VALUES ($1, 'user', $2, timestamptz '2026-01-01 10:00:00+00' + $3 * interval '1 minute')`,
          [conversationId, `minute ${minute}`, minute],
        );
      }

      const { applied } = await applyMigrations({ databaseUrl: database.url });
      expect(applied).toContain(SEQ_MIGRATION);
      const { rows: messages } = await client.query(
        `SELECT "conversationId", body, seq FROM "SupportMessage" ORDER BY "conversationId", seq`,
      );
      expect(messages.filter((m) => m.conversationId === busy).map((m) => [m.seq, m.body])).toEqual([
        [1, 'minute 1'],
        [2, 'minute 2'],
        [3, 'minute 3'],
      ]);
      expect(messages.filter((m) => m.conversationId === quiet).map((m) => m.seq)).toEqual([1]);
      const { rows: conversations } = await client.query(`SELECT id, "lastSeq" FROM "SupportConversation"`);
      const lastSeq = Object.fromEntries(conversations.map((c) => [c.id, c.lastSeq]));
      expect(lastSeq).toEqual({ [busy]: 3, [quiet]: 1, [empty]: 0 });
    } finally {
      await client.end();
    }
  });
});
