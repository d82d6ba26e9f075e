// Placeholder for the users' support chat page, built next on the shared components in
// web/src/chat/ (ConversationList, ChatThread, Composer and the data hooks).
import { Link } from 'react-router';
import { ChevronLeftIcon } from '../../ui/icons';
import { PageContainer } from './UserAppShell';

export function SupportChatPlaceholder({ backTo, backLabel }: { backTo: string; backLabel: string }) {
  return (
    <PageContainer>
      <Link
        to={backTo}
        className="-ml-2 inline-flex min-h-11 items-center gap-1 rounded-lg px-2 text-sm font-medium text-gray-600 hover:bg-gray-100"
      >
        <ChevronLeftIcon className="h-4 w-4" />
        {backLabel}
      </Link>
      <h1 className="mt-2 text-xl font-semibold text-gray-900">Chat with support</h1>
      <p className="mt-2 text-sm text-gray-600">Your support conversations will appear here.</p>
    </PageContainer>
  );
}
