// Toasts: the connection's notices and every failed request, so nothing fails silently.
import { create } from 'zustand';
import type { Notice } from '../../shared/model.js';

export type ToastLevel = Notice['level'];

export interface Toast {
  id: number;
  level: ToastLevel;
  message: string;
  at: number;
}

export const MAX_TOASTS = 5;
/** Errors stay until dismissed; the rest fade after this long. */
export const TOAST_TTL_MS: Record<ToastLevel, number | null> = { info: 6000, warning: 10_000, error: null };

interface ToastState {
  toasts: Toast[];
  push(level: ToastLevel, message: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

export const useToastStore = create<ToastState>()((set, get) => ({
  toasts: [],
  push(level, message) {
    const toast: Toast = { id: nextId++, level, message, at: Date.now() };
    set({ toasts: [...get().toasts, toast].slice(-MAX_TOASTS) });
    const ttl = TOAST_TTL_MS[level];
    if (ttl !== null) setTimeout(() => get().dismiss(toast.id), ttl);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

export const toastError = (message: string): void => useToastStore.getState().push('error', message);
