// Sending into a colleague's conversation asks first: "Sofia Reyes is assigned to this
// conversation. Send anyway?" (replies and files; internal notes do not ask). Once confirmed, the
// agent is not asked again for that conversation and assignee in this tab. The server does not
// enforce it: users, routing and the auto-reply flows must keep writing into assigned
// conversations, and a colleague taking over must work in one step.
import { type ReactNode, useCallback, useRef, useState } from 'react';
import type { ConversationDto } from '../../../../common/support';
import { ConfirmDialog } from '../../ui/ConfirmDialog';

/** Conversation, assignee and agent combinations confirmed in this tab. */
const confirmed = new Set<string>();

/** Only for tests: forget what was confirmed. */
export function forgetSendConfirmations() {
  confirmed.clear();
}

type Question = { assigneeName: string; answer: (yes: boolean) => void };

/**
 * `confirm` answers true at once when there is nothing to ask (unassigned, yours, or confirmed
 * before); otherwise it shows `dialog` and resolves with the agent's answer.
 */
export function useConfirmSendToAssigned(
  conversation: ConversationDto | undefined,
  ownAdminId: string | null,
): { confirm: () => boolean | Promise<boolean>; dialog: ReactNode } {
  const [question, setQuestion] = useState<Question | null>(null);
  // The conversation as it is when the agent sends (it may have been reassigned meanwhile).
  const latest = useRef(conversation);
  latest.current = conversation;
  const open = useRef<Question | null>(null);

  const confirm = useCallback((): boolean | Promise<boolean> => {
    const current = latest.current;
    if (!current?.assignee || current.adminId === ownAdminId) return true;
    const key = `${current.id}:${current.adminId}:${ownAdminId ?? ''}`;
    if (confirmed.has(key)) return true;
    const assigneeName = current.assignee.displayName || 'Another agent';
    return new Promise<boolean>((resolve) => {
      open.current?.answer(false); // a question still open is superseded, not left hanging
      const asked: Question = {
        assigneeName,
        answer: (yes) => {
          if (open.current === asked) {
            open.current = null;
            setQuestion(null);
          }
          if (yes) confirmed.add(key);
          resolve(yes);
        },
      };
      open.current = asked;
      setQuestion(asked);
    });
  }, [ownAdminId]);

  const dialog = question ? (
    <ConfirmDialog
      title={`${question.assigneeName} is assigned to this conversation. Send anyway?`}
      description="The user will see your reply. You will not be asked again for this conversation."
      confirmLabel="Send anyway"
      onConfirm={() => question.answer(true)}
      onCancel={() => question.answer(false)}
    />
  ) : null;

  return { confirm, dialog };
}
