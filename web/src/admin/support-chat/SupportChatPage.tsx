// Placeholder for the admin dashboard (/admin/support-chat), built next on the shared components
// in web/src/chat/ (ConversationList, ChatThread, Composer and the data hooks).
export function SupportChatPage() {
  return (
    <div className="flex flex-1 items-center justify-center p-6 text-center">
      <div className="max-w-md">
        <h1 className="text-lg font-semibold text-gray-900">Support chat</h1>
        <p className="mt-2 text-sm text-gray-600">The conversation dashboard is on its way.</p>
      </div>
    </div>
  );
}
