// Sanitising (spec section 7): no payload from a list of XSS vectors comes back as active markup,
// neither from the API nor from the database, while ordinary text survives as typed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanText, sanitizeFileName } from '../../server/support/sanitize.js';
import { startTestApp, type TestApp } from '../helpers/app.js';
import { api, createAdmin, createUser, type TestUser } from '../helpers/fixtures.js';

const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<SCRIPT SRC=//evil.example/x.js></SCRIPT>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '<svg><script>alert(1)</script></svg>',
  '<a href="javascript:alert(1)">click</a>',
  '<iframe src="javascript:alert(1)"></iframe>',
  '<style>@import "//evil.example/x.css";</style>',
  '<body onload=alert(1)>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '&lt;script&gt;alert(1)&lt;/script&gt;',
  '&#60;img src=x onerror=alert(1)&#62;',
  '&#x3C;svg onload=alert(1)&#x3E;',
  '<<script>script>alert(1)<</script>/script>',
  '<scr<script>ipt>alert(1)</scr</script>ipt>',
  '<img src="x" onerror="alert(1)"',
  '<ScRiPt>alert(1)</sCrIpT>',
  '<scri\u0000pt>alert(1)</script>',
  '<!--<script>alert(1)</script>-->',
  '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
  '<input autofocus onfocus=alert(1)>',
  '<details open ontoggle=alert(1)>',
  '"><script>alert(1)</script>',
  "'><img src=x onerror=alert(1)>",
  '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">',
];

const ACTIVE_MARKUP = /<[A-Za-z!/?]/;

describe('sanitising', () => {
  it.each(XSS_PAYLOADS)('cleanText leaves no markup in %j', (payload) => {
    expect(cleanText(`hello ${payload} world`)).not.toMatch(ACTIVE_MARKUP);
  });

  it.each([
    ['a < b and c > d', 'a < b and c > d'],
    ['I <3 this', 'I <3 this'],
    ['5\'10" tall & 2 > 1', '5\'10" tall & 2 > 1'],
    ['Fish & chips', 'Fish & chips'],
    ['café', 'café'],
    ['emoji 👨‍👩‍👧 family', 'emoji 👨‍👩‍👧 family'],
    ['line one\r\nline two', 'line one\nline two'],
    ['too\n\n\n\n\nmany blank lines', 'too\n\nmany blank lines'],
    ['  padded  ', 'padded'],
    ['bell\u0007 and null\u0000 gone', 'bell and null gone'],
    ['zero\u200Bwidth and \u202Ereversed', 'zerowidth and reversed'],
  ])('keeps ordinary text: %j', (input, expected) => {
    expect(cleanText(input)).toBe(expected);
  });

  it('normalises Unicode to NFC', () => {
    expect(cleanText('cafe\u0301')).toBe('caf\u00e9');
  });

  it('file names lose paths, markup and spoofing characters', () => {
    expect(sanitizeFileName('../../etc/passwd', 'application/pdf')).toBe('passwd.pdf');
    expect(sanitizeFileName('<img src=x onerror=alert(1)>.png', 'image/png')).toBe('attachment.png');
    expect(sanitizeFileName('invoice\u202Efdp.exe', 'application/pdf')).toBe('invoicefdp.exe.pdf');
    expect(sanitizeFileName(`${'a'.repeat(300)}.pdf`, 'application/pdf')).toHaveLength(100);
  });

  describe('through the API', () => {
    let t: TestApp;
    let user: TestUser;

    beforeAll(async () => {
      t = await startTestApp();
      user = await createUser(t.database.db, t.services.tokens, 'restaurant');
    });
    afterAll(() => t.close());

    it('no XSS payload comes back as markup, as a message or a topic, nor sits in the database', async () => {
      const admin = await createAdmin(t.database.db, t.services.tokens, ['SUPPORT_CHAT']);
      for (const payload of XSS_PAYLOADS) {
        const created = await api(t.baseUrl, 'POST', '/api/support/conversations', {
          token: user.token,
          body: { subject: `Topic ${payload}`, message: { body: `Body ${payload}` } },
        });
        expect(created.status).toBe(201);
        expect(created.text).not.toMatch(/\\u003c[A-Za-z!/?]|<[A-Za-z!/?]/);
        const id = created.json.conversation.id;
        const history = await api(t.baseUrl, 'GET', `/api/support/conversations/${id}/messages`, {
          token: admin.token,
        });
        const inbox = await api(t.baseUrl, 'GET', `/api/admin/support/conversations?search=${id}`, {
          token: admin.token,
        });
        for (const response of [history, inbox]) expect(response.text).not.toMatch(ACTIVE_MARKUP);
      }
      const rows = await t.database.db.supportMessage.findMany({ select: { body: true } });
      const conversations = await t.database.db.supportConversation.findMany({ select: { subject: true } });
      expect(rows).toHaveLength(XSS_PAYLOADS.length);
      for (const text of [...rows.map((r) => r.body), ...conversations.map((c) => c.subject)]) {
        expect(text).not.toMatch(ACTIVE_MARKUP);
        expect(text?.toLowerCase()).not.toContain('onerror=');
      }
    });
  });
});
