// Top of a user's chat: the linked order as a card, or a way to link one of the user's orders.
import { useId, useState } from 'react';
import type { ConversationDto } from '../../../common/support';
import { ApiError } from '../api/api-error';
import { Button } from '../ui/Button';
import { useLinkOrder } from './hooks';
import { OrderCard } from './OrderCard';
import { OrderPicker } from './OrderPicker';

export function UserOrderBar({ conversation }: { conversation: ConversationDto }) {
  const [picking, setPicking] = useState(false);
  const [choice, setChoice] = useState<string | null | undefined>(undefined);
  const link = useLinkOrder(conversation.id);
  const name = useId();

  if (conversation.order && !picking) return <OrderCard order={conversation.order} />;
  if (!picking) {
    return (
      <div className="flex justify-end border-b border-gray-200 bg-white px-3 py-1">
        <Button variant="ghost" className="px-2 text-xs" onClick={() => setPicking(true)}>
          Link an order
        </Button>
      </div>
    );
  }
  const save = () =>
    link.mutate(choice ?? null, {
      onSuccess: () => setPicking(false),
    });
  return (
    <div className="max-h-[60vh] space-y-3 overflow-y-auto border-b border-gray-200 bg-white p-3">
      <OrderPicker name={name} value={choice} onChange={setChoice} />
      {link.error && (
        <p role="alert" className="text-sm text-red-700">
          {link.error instanceof ApiError ? link.error.message : 'The order could not be linked. Try again.'}
        </p>
      )}
      <div className="flex gap-2">
        <Button onClick={save} disabled={link.isPending || choice === undefined}>
          {link.isPending ? 'Saving…' : 'Save'}
        </Button>
        <Button variant="secondary" onClick={() => setPicking(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
