// A stand-in for socket.io-client's Socket in component tests: it records listeners so that the
// test can play the server (`serverSends`), and keeps the options the app connected with.
import { act } from '@testing-library/react';
import { vi } from 'vitest';

type Listener = (...args: unknown[]) => void;

export class FakeSocket<Options = unknown> {
  listeners = new Map<string, Listener[]>();
  active = true;
  connected = false;
  connect = vi.fn(() => this);
  disconnect = vi.fn(() => this);
  emit = vi.fn();
  constructor(readonly options?: Options) {}
  on(event: string, listener: Listener) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  off(event: string, listener: Listener) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((item) => item !== listener),
    );
    return this;
  }
  removeAllListeners() {
    this.listeners.clear();
    return this;
  }
  serverSends(event: string, ...args: unknown[]) {
    act(() => {
      for (const listener of this.listeners.get(event) ?? []) listener(...args);
    });
  }
}
