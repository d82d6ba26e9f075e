import { QueryClientProvider, useQueryClient } from '@tanstack/react-query';
import { type ReactNode, useEffect, useState } from 'react';
import { createBrowserRouter, RouterProvider } from 'react-router';
import { AuthProvider } from '../auth/AuthProvider';
import { sessionStore } from '../auth/session-store';
import { SupportSocketProvider } from '../chat/socket';
import { createQueryClient } from './query-client';
import { routes } from './routes';

/** Nothing cached for one account may show for the next one in this tab. */
function ClearCacheOnAccountChange({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    let account = sessionStore.get()?.me.userId ?? null;
    return sessionStore.subscribe((session) => {
      const next = session?.me.userId ?? null;
      if (next !== account) queryClient.clear();
      account = next;
    });
  }, [queryClient]);
  return children;
}

export function App() {
  const [queryClient] = useState(createQueryClient);
  const [router] = useState(() => createBrowserRouter(routes));
  return (
    <QueryClientProvider client={queryClient}>
      <ClearCacheOnAccountChange>
        <AuthProvider>
          <SupportSocketProvider>
            <RouterProvider router={router} />
          </SupportSocketProvider>
        </AuthProvider>
      </ClearCacheOnAccountChange>
    </QueryClientProvider>
  );
}
