import { QueryClient } from '@tanstack/react-query';
import { ApiError } from '../api/api-error';

export function createQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Client errors (403, 404, validation) will not change on a retry; network failures may.
        retry: (failures, error) =>
          failures < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500),
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
  });
}
