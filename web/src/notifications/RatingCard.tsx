// The rating card under a resolved conversation: 1–5 and an optional comment, one answer per
// resolution, changeable for 24 hours.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useEffect, useId, useState } from 'react';
import { MAX_RATING_COMMENT_LENGTH } from '../../../common/notifications';
import { errorMessage } from '../api/api-error';
import { Button } from '../ui/Button';
import { notificationKeys, notificationsApi } from './api';

export function RatingCard({ conversationId, resolvedAt }: { conversationId: string; resolvedAt: string | null }) {
  const queryClient = useQueryClient();
  const state = useQuery({
    queryKey: [...notificationKeys.rating(conversationId), resolvedAt],
    queryFn: () => notificationsApi.ratingState(conversationId),
  });
  const [rating, setRating] = useState<number | null>(null);
  const [comment, setComment] = useState('');
  const [editing, setEditing] = useState(false);
  const commentId = useId();
  const saved = state.data?.rating;
  useEffect(() => {
    if (saved) {
      setRating(saved.rating);
      setComment(saved.comment ?? '');
    }
  }, [saved]);
  const rate = useMutation({
    mutationFn: () =>
      notificationsApi.rate(conversationId, {
        rating: rating ?? 0,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      }),
    onSuccess: () => {
      setEditing(false);
      void queryClient.invalidateQueries({ queryKey: notificationKeys.rating(conversationId) });
    },
  });
  if (!state.data || (!state.data.canRate && !saved)) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (rating) rate.mutate();
  };

  if (saved && !editing) {
    return (
      <section aria-label="Your rating" className="border-t border-gray-200 bg-white px-4 py-3 text-sm text-gray-700">
        You rated this conversation {saved.rating} of 5. Thank you!
        {state.data.canRate && (
          <Button variant="secondary" className="ml-2" onClick={() => setEditing(true)}>
            Change
          </Button>
        )}
      </section>
    );
  }
  return (
    <form
      onSubmit={submit}
      aria-label="Rate this conversation"
      className="space-y-2 border-t border-gray-200 bg-white px-4 py-3"
    >
      <p className="text-sm font-medium text-gray-900">How did we do?</p>
      <div className="flex gap-1" role="radiogroup" aria-label="Rating from 1 to 5">
        {[1, 2, 3, 4, 5].map((value) => (
          // biome-ignore lint/a11y/useSemanticElements: a row of buttons reads better than radio inputs here
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={rating === value}
            aria-label={`${value} of 5`}
            onClick={() => setRating(value)}
            className={`min-h-11 min-w-11 rounded-lg border text-sm font-semibold ${rating !== null && value <= rating ? 'border-amber-400 bg-amber-100 text-amber-900' : 'border-gray-300 text-gray-600'}`}
          >
            {value}
          </button>
        ))}
      </div>
      <label htmlFor={commentId} className="block text-xs text-gray-600">
        Comment (optional)
      </label>
      <textarea
        id={commentId}
        value={comment}
        maxLength={MAX_RATING_COMMENT_LENGTH}
        rows={2}
        onChange={(event) => setComment(event.target.value)}
        className="w-full rounded-lg border border-gray-300 px-3 py-2 text-sm"
      />
      {rate.error && (
        <p role="alert" className="text-xs text-red-700">
          {errorMessage(rate.error)}
        </p>
      )}
      <Button type="submit" disabled={!rating || rate.isPending}>
        Send rating
      </Button>
    </form>
  );
}
