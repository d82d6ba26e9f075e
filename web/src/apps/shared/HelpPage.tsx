// "Help" of the customer and restaurant apps: Chat Support first, then common answers.
import { Link } from 'react-router';
import { useUnreadTotals } from '../../chat/hooks';
import { UnreadBadge } from '../../chat/UnreadBadge';
import { ChatIcon, ChevronRightIcon } from '../../ui/icons';
import { SignOutEverywhereButton } from './SignOutButton';
import { PageContainer } from './UserAppShell';

export type HelpTopic = { question: string; answer: string };

export function HelpPage({ chatPath, topics }: { chatPath: string; topics: readonly HelpTopic[] }) {
  const unread = useUnreadTotals();
  return (
    <PageContainer>
      <h1 className="text-xl font-semibold text-gray-900">Help</h1>
      <p className="mt-1 text-sm text-gray-600">Find an answer, or talk to our support team.</p>
      <nav aria-label="Help" className="mt-5">
        <Link
          to={chatPath}
          className="flex min-h-16 items-center gap-4 rounded-xl border border-gray-200 bg-white p-4 shadow-sm hover:border-brand-200 hover:bg-brand-50"
        >
          <span className="flex h-10 w-10 shrink-0 items-center justify-center rounded-full bg-brand-600 text-white">
            <ChatIcon className="h-5 w-5" />
          </span>
          <span className="min-w-0 flex-1">
            <span className="block font-medium text-gray-900">Chat Support</span>
            <span className="block text-sm text-gray-600">Message our team — we usually reply within minutes.</span>
          </span>
          <UnreadBadge count={unread.data?.messages ?? 0} />
          <ChevronRightIcon className="h-5 w-5 shrink-0 text-gray-400" />
        </Link>
      </nav>
      <h2 className="mt-8 text-sm font-semibold tracking-wide text-gray-500 uppercase">Common questions</h2>
      <div className="mt-2 divide-y divide-gray-200 rounded-xl border border-gray-200 bg-white">
        {topics.map((topic) => (
          <details key={topic.question} className="group">
            <summary className="flex min-h-12 cursor-pointer list-none items-center justify-between gap-3 px-4 py-3 text-sm font-medium text-gray-900">
              {topic.question}
              <ChevronRightIcon className="h-4 w-4 shrink-0 text-gray-400 transition-transform group-open:rotate-90" />
            </summary>
            <p className="px-4 pb-4 text-sm text-gray-600">{topic.answer}</p>
          </details>
        ))}
      </div>
      {/* The top bar has "Sign out"; a lost or shared phone is a question for Help. */}
      <h2 className="mt-8 text-sm font-semibold tracking-wide text-gray-500 uppercase">Account</h2>
      <div className="mt-2">
        <SignOutEverywhereButton className="-mx-3" />
      </div>
    </PageContainer>
  );
}
