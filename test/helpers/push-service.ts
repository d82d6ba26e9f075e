// A local web push service for tests: an HTTPS server (self-signed certificate for 127.0.0.1,
// trusted by this process's default agent) that checks each push's VAPID signature (RFC 8292)
// and decrypts its payload (aes128gcm, RFC 8291) with the subscription's own keys, as a browser
// would. `answer` sets the status a subscription's endpoint replies with (e.g. 410: gone).
import { execFileSync } from 'node:child_process';
import { createDecipheriv, createECDH, type ECDH, hkdfSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { importJWK, jwtVerify } from 'jose';

export type ReceivedPush = {
  subscriptionId: string;
  headers: Record<string, string | string[] | undefined>;
  /** The VAPID public key the push was signed with (`k=`), after the signature checked out. */
  vapidKey: string;
  jwtClaims: Record<string, unknown>;
  payload: unknown;
};

export type TestSubscription = {
  id: string;
  json: { endpoint: string; keys: { p256dh: string; auth: string } };
};

export type TestPushService = {
  origin: string;
  received: ReceivedPush[];
  /** Rejected pushes (bad signature or undecryptable), with why. */
  rejected: string[];
  answer: Map<string, number>;
  subscribe(): TestSubscription;
  close(): Promise<void>;
};

function selfSignedCertificate(): { key: string; cert: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'push-cert-'));
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      path.join(dir, 'key.pem'),
      '-out',
      path.join(dir, 'cert.pem'),
    ],
    { stdio: 'ignore' },
  );
  const result = {
    key: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'),
    cert: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8'),
  };
  fs.rmSync(dir, { recursive: true, force: true });
  return result;
}

/** RFC 8291 / RFC 8188: the user agent's side of aes128gcm. */
function decrypt(body: Buffer, receiver: ECDH, authSecret: Buffer): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderKey = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  const shared = receiver.computeSecret(senderKey);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiver.getPublicKey(), senderKey]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const plain = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then padding zeros.
  const end = plain.lastIndexOf(2);
  return plain.subarray(0, end);
}

async function verifyVapid(authorization: string | undefined, origin: string) {
  const match = /^vapid t=([^,]+), k=(.+)$/.exec(authorization ?? '');
  if (!match) throw new Error('no VAPID authorization');
  const [, token = '', key = ''] = match;
  const point = Buffer.from(key, 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const publicKey = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(token, publicKey, { audience: origin, algorithms: ['ES256'] });
  if (typeof payload.sub !== 'string') throw new Error('no sub');
  return { vapidKey: key, claims: payload as Record<string, unknown> };
}

export async function startTestPushService(): Promise<TestPushService> {
  const { key, cert } = selfSignedCertificate();
  // web-push sends through https with the default agent: trust the test certificate there.
  https.globalAgent.options.ca = [cert];
  const subscriptions = new Map<string, { ecdh: ECDH; auth: Buffer }>();
  const state: TestPushService = {
    origin: '',
    received: [],
    rejected: [],
    answer: new Map(),
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const id = randomBytes(8).toString('hex');
      subscriptions.set(id, { ecdh, auth });
      return {
        id,
        json: {
          endpoint: `${state.origin}/push/${id}`,
          keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: auth.toString('base64url') },
        },
      };
    },
    close: async () => {},
  };
  const server = https.createServer({ key, cert }, (request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', async () => {
      const id = request.url?.split('/').pop() ?? '';
      const subscription = subscriptions.get(id);
      const status = state.answer.get(id) ?? (subscription ? 201 : 404);
      if (status !== 201 || !subscription) {
        response.writeHead(status).end();
        return;
      }
      try {
        const { vapidKey, claims } = await verifyVapid(request.headers.authorization, state.origin);
        if (request.headers['content-encoding'] !== 'aes128gcm') throw new Error('not aes128gcm');
        const plain = decrypt(Buffer.concat(chunks), subscription.ecdh, subscription.auth);
        state.received.push({
          subscriptionId: id,
          headers: request.headers,
          vapidKey,
          jwtClaims: claims,
          payload: JSON.parse(plain.toString('utf8')),
        });
        response.writeHead(201).end();
      } catch (error) {
        state.rejected.push((error as Error).message);
        response.writeHead(400).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.origin = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}
