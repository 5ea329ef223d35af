// Smallest-slice hooks over the view store; useShallow where the selector builds a new array.
import { useShallow } from 'zustand/react/shallow';
import type { Call, QueueStats, ViewState } from '../../shared/model.js';
import { orderedCalls } from '../../shared/reducer.js';
import { useViewStore } from './viewStore.js';

export const useOrderedCalls = (): Call[] => useViewStore(useShallow((s) => orderedCalls(s.view)));

export const useQueues = (): QueueStats[] =>
  useViewStore(useShallow((s) => Object.values(s.view.queues).sort((a, b) => a.name.localeCompare(b.name))));

/** Whether the connected vendor supports a command at all. */
export const useCapability = (kind: string): boolean => useViewStore((s) => s.view.capabilities.includes(kind));

/** Inbound calls ringing on this device (offered, or queued to it). */
export const ringingCalls = (view: Pick<ViewState, 'calls'>): Call[] =>
  Object.values(view.calls).filter((c) => c.direction === 'inbound' && (c.state === 'alerting' || c.state === 'queued'));
