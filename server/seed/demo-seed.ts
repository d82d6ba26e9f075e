// Demo accounts for `npm start`: support admins with different permissions and three users of
// each type with realistic profiles. Idempotent: running it again changes nothing.
import type { AdminPermission } from '../../common/enums.js';
import type { Db } from '../db/client.js';
import { hashPassword } from '../platform/auth/passwords.js';
import type { Principal } from '../platform/auth/principal.js';
import type { SupportService } from '../support/support.service.js';
import type { WorkflowService } from '../support/workflow/workflow.service.js';
import { seedDemoOrders } from './demo-orders.js';

export const DEMO_PASSWORD = 'demo1234';

type DemoAdmin = {
  email: string;
  displayName: string;
  role: string;
  permissions: AdminPermission[];
  /** The availability they chose last (routing); effective once they open the dashboard. */
  availability?: 'online' | 'away' | 'offline';
};

const ROLES: Record<string, AdminPermission[]> = {
  'Support agent': ['SUPPORT_CHAT'],
  'Support lead': ['SUPPORT_CHAT', 'SETTINGS_MANAGE', 'AUDIT_READ', 'SUPPORT_REPORTS'],
  'Settings manager': ['SETTINGS_MANAGE'],
  'Finance viewer': [],
};

export const DEMO_ADMINS: DemoAdmin[] = [
  {
    email: 'support@demo.test',
    displayName: 'Sofia Reyes',
    role: 'Support agent',
    permissions: ROLES['Support agent'] ?? [],
  },
  {
    email: 'lead@demo.test',
    displayName: 'Marcus Lee',
    role: 'Support lead',
    permissions: ROLES['Support lead'] ?? [],
    // The lead reviews rather than takes new chats.
    availability: 'away',
  },
  {
    email: 'settings@demo.test',
    displayName: 'Priya Nair',
    role: 'Settings manager',
    permissions: ROLES['Settings manager'] ?? [],
  },
  { email: 'viewer@demo.test', displayName: 'Tom Becker', role: 'Finance viewer', permissions: [] },
];

export const DEMO_DRIVERS = [
  {
    email: 'driver@demo.test',
    fullName: 'Alex Morgan',
    phone: '+44 7700 900101',
    city: 'London',
    vehicleType: 'scooter',
    licensePlate: 'LK21 XRT',
    rating: 4.86,
    completedDeliveries: 1243,
  },
  {
    email: 'driver2@demo.test',
    fullName: 'Jamie Chen',
    phone: '+44 7700 900102',
    city: 'Manchester',
    vehicleType: 'car',
    licensePlate: 'MA19 PLD',
    rating: 4.71,
    completedDeliveries: 587,
  },
  {
    email: 'driver3@demo.test',
    fullName: 'Sam Okafor',
    phone: '+44 7700 900103',
    city: 'London',
    vehicleType: 'bicycle',
    licensePlate: null,
    rating: 4.93,
    completedDeliveries: 2210,
  },
];

export const DEMO_CUSTOMERS = [
  {
    email: 'customer@demo.test',
    fullName: 'Emma Wilson',
    phone: '+44 7700 900201',
    city: 'London',
    defaultAddress: '14 Elm Grove, London N1 2AB',
    totalOrders: 37,
  },
  {
    email: 'customer2@demo.test',
    fullName: 'Liam Patel',
    phone: '+44 7700 900202',
    city: 'Birmingham',
    defaultAddress: '8 Canal Street, Birmingham B1 1AA',
    totalOrders: 5,
  },
  {
    email: 'customer3@demo.test',
    fullName: 'Olivia Brown',
    phone: '+44 7700 900203',
    city: 'Leeds',
    defaultAddress: null,
    totalOrders: 112,
  },
];

export const DEMO_RESTAURANTS = [
  {
    email: 'restaurant@demo.test',
    name: 'Bella Napoli',
    contactName: 'Giulia Rossi',
    phone: '+44 20 7946 0301',
    address: '22 Upper Street, London N1 0PN',
    city: 'London',
    cuisine: 'Italian',
  },
  {
    email: 'restaurant2@demo.test',
    name: 'Tokyo Ramen House',
    contactName: 'Kenji Watanabe',
    phone: '+44 161 496 0302',
    address: '5 Oldham Street, Manchester M1 1JQ',
    city: 'Manchester',
    cuisine: 'Japanese',
  },
  {
    email: 'restaurant3@demo.test',
    name: 'Green Bowl Kitchen',
    contactName: 'Aisha Khan',
    phone: '+44 113 496 0303',
    address: '71 Briggate, Leeds LS1 6HD',
    city: 'Leeds',
    cuisine: 'Vegan',
  },
];

/** Creates whatever is missing. Existing accounts keep their passwords and edits. */
export async function seedDemoData(db: Db): Promise<{ created: number }> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let created = 0;
  const ensureUser = async (email: string, role: 'driver' | 'customer' | 'restaurant' | 'admin') => {
    const existing = await db.user.findUnique({ where: { email }, select: { id: true } });
    if (existing) return { id: existing.id, isNew: false };
    created++;
    const user = await db.user.create({ data: { email, passwordHash, role }, select: { id: true } });
    return { id: user.id, isNew: true };
  };

  for (const [name, permissions] of Object.entries(ROLES)) {
    await db.adminRole.upsert({ where: { name }, create: { name, permissions }, update: {} });
  }
  for (const admin of DEMO_ADMINS) {
    const { id, isNew } = await ensureUser(admin.email, 'admin');
    if (!isNew) continue;
    const role = await db.adminRole.findUniqueOrThrow({ where: { name: admin.role } });
    await db.adminProfile.create({
      data: {
        userId: id,
        displayName: admin.displayName,
        roleId: role.id,
        availability: admin.availability ?? 'online',
      },
    });
  }
  for (const { email, ...profile } of DEMO_DRIVERS) {
    const { id, isNew } = await ensureUser(email, 'driver');
    if (isNew) await db.driverProfile.create({ data: { userId: id, ...profile } });
  }
  for (const { email, ...profile } of DEMO_CUSTOMERS) {
    const { id, isNew } = await ensureUser(email, 'customer');
    if (isNew) await db.customerProfile.create({ data: { userId: id, ...profile } });
  }
  for (const { email, ...profile } of DEMO_RESTAURANTS) {
    const { id, isNew } = await ensureUser(email, 'restaurant');
    if (isNew) await db.restaurantProfile.create({ data: { userId: id, ...profile } });
  }
  await seedDemoOrders(db);
  await seedDemoSavedReplies(db);
  return { created };
}

/** Saved replies the demo lead prepared (what `/` offers in the composer). */
export const DEMO_SAVED_REPLIES = [
  {
    shortcut: 'greeting',
    title: 'Greeting',
    body: "Hi {{user.firstName}}, I'm {{agent.firstName}} from support. How can I help?",
  },
  {
    shortcut: 'refund-late',
    title: 'Refund for a late order',
    body: "Hi {{user.firstName}}, I'm sorry your order {{order.number}} arrived late. I've refunded the delivery fee; it shows on your statement within 3-5 working days.",
  },
  {
    shortcut: 'tablet-reset',
    title: 'Restart the restaurant tablet',
    body: 'Please hold the power button for 10 seconds, wait until the tablet restarts, then sign in again. Orders placed meanwhile are kept.',
  },
  {
    shortcut: 'closing',
    title: 'Closing the conversation',
    body: "Is there anything else I can help with, {{user.firstName}}? If not, I'll close this conversation. Thanks for your patience! {{agent.firstName}}",
  },
];

/** Only into an empty table: a lead's deletions and edits stay as they are on the next start. */
async function seedDemoSavedReplies(db: Db) {
  if ((await db.supportSavedReply.count()) > 0) return;
  const lead = await db.adminProfile.findFirst({ where: { user: { email: 'lead@demo.test' } }, select: { id: true } });
  await db.supportSavedReply.createMany({
    data: DEMO_SAVED_REPLIES.map((reply) => ({ ...reply, createdByAdminId: lead?.id ?? null })),
    // Two processes seeding at once: the unique shortcut lets one copy in.
    skipDuplicates: true,
  });
}

/** The lines of the start-up banner that list the demo logins. */
export function demoLoginLines(): string[] {
  const rows = [
    ...DEMO_ADMINS.map((a) => [a.email, `admin: ${a.role} (${a.permissions.join(', ') || 'no support permissions'})`]),
    ...[DEMO_DRIVERS[0], DEMO_CUSTOMERS[0], DEMO_RESTAURANTS[0]].map((u) => [u?.email ?? '', 'user']),
  ];
  const width = Math.max(...rows.map(([email]) => email?.length ?? 0));
  return [
    `  Demo logins (password "${DEMO_PASSWORD}"):`,
    ...rows.map(([email, what]) => `    ${email?.padEnd(width)}  ${what}`),
    '    (also driver2/3, customer2/3, restaurant2/3 @demo.test)',
  ];
}

type DemoTurn = { from: 'user' | 'admin'; body: string };
type DemoConversation = {
  email: string;
  subject: string;
  turns: DemoTurn[];
  resolve?: boolean;
  readByAdmin?: boolean;
  /** The demo order the conversation is about. */
  orderNumber?: number;
};

const DEMO_CONVERSATIONS: DemoConversation[] = [
  {
    email: 'customer2@demo.test',
    subject: 'Refund for cancelled order',
    orderNumber: 47120,
    turns: [
      { from: 'user', body: 'Hi, I cancelled order #47120 yesterday. When will I get my refund?' },
      {
        from: 'admin',
        body: 'Hi Liam, the refund was issued this morning. It usually shows on your card within 3 to 5 working days.',
      },
      { from: 'user', body: 'Great, thanks for the quick answer!' },
    ],
    resolve: true,
    readByAdmin: true,
  },
  {
    email: 'restaurant@demo.test',
    subject: 'Adding a seasonal pizza',
    turns: [
      { from: 'user', body: "We'd like to add a new seasonal pizza to our menu this weekend. How do we do that?" },
    ],
  },
  {
    email: 'driver@demo.test',
    subject: 'Weekly payout missing',
    turns: [
      { from: 'user', body: "Hi, my payout for 10–16 November hasn't arrived yet. Could you check?" },
      { from: 'admin', body: "Hi Alex, I'm checking with our finance team now and will get back to you today." },
    ],
    readByAdmin: true,
  },
  {
    email: 'customer@demo.test',
    subject: 'Missing item',
    orderNumber: 48213,
    turns: [
      { from: 'user', body: 'My order #48213 from Bella Napoli arrived without the garlic bread.' },
      { from: 'user', body: 'Can I get a refund for that item?' },
    ],
  },
];

/**
 * A few realistic conversations, written through the support service so that order, counters and
 * audit records are what real use produces. Only when there are no conversations at all yet.
 */
export async function seedDemoConversations(
  db: Db,
  { support, workflow }: { support: SupportService; workflow: WorkflowService },
): Promise<number> {
  if ((await db.supportConversation.count()) > 0) return 0;
  const agent = await db.adminProfile.findFirst({
    where: { user: { email: DEMO_ADMINS[0]?.email ?? '' } },
    include: { role: true },
  });
  if (!agent) return 0;
  const admin: Principal = {
    kind: 'admin',
    userId: agent.userId,
    adminId: agent.id,
    permissions: agent.role.permissions,
  };
  for (const demo of DEMO_CONVERSATIONS) {
    const user = await db.user.findUnique({ where: { email: demo.email } });
    if (!user || user.role === 'admin') continue;
    const principal: Principal = { kind: 'user', userId: user.id, userType: user.role };
    const order = demo.orderNumber
      ? await db.order.findUnique({ where: { number: demo.orderNumber }, select: { id: true } })
      : null;
    const { conversation } = await support.createConversation(principal, user.id, user.role, {
      subject: demo.subject,
      ...(order ? { orderId: order.id } : {}),
    });
    let lastUserMessage: string | undefined;
    for (const turn of demo.turns) {
      const { message } = await support.sendMessage(turn.from === 'user' ? principal : admin, conversation.id, {
        body: turn.body,
      });
      if (turn.from === 'user') lastUserMessage = message.id;
    }
    if (demo.readByAdmin && lastUserMessage) await support.markAsRead(admin, lastUserMessage);
    if (demo.resolve) await workflow.setStatus(admin, conversation.id, { status: 'resolved' });
  }
  return DEMO_CONVERSATIONS.length;
}
