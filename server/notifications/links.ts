// Where a notification's link opens the conversation: each user type has its own app (web/src/apps);
// the app asks for sign-in first when needed.
import type { UserType } from '../../common/enums.js';

const CHAT_PATHS: Record<UserType, string> = {
  driver: '/driver/support',
  customer: '/customer/help/chat',
  restaurant: '/restaurant/help/chat',
};

export function conversationLink(publicUrl: string, userType: UserType, conversationId: string): string {
  return new URL(`${CHAT_PATHS[userType]}/${conversationId}`, publicUrl).toString();
}
