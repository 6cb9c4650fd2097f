import path from 'node:path';
import type { OperationInput, OperationName, OperationOutput } from '../../shared/contract';
import { openCore, type Core } from '../../electron/core/service';
import type { ZoomSandbox } from '../../electron/core/sandbox/server';
import { tempDataDir } from '../helpers';
import { control } from '../zoom/sandbox-helpers';

/** The organisation and operator a desk has once its first run is done: documents can be sent, acts are named. */
export const FIRST_RUN_SETTINGS = {
  operator: 'Dana DPO',
  organisation_name: 'Beispiel Webinare GmbH',
  organisation_contact: 'Beispielstraße 1, 10115 Berlin · privacy@example.org',
  dpo_email: 'dpo@example.org',
  supervisory_authority: 'Berliner Beauftragte für Datenschutz und Informationsfreiheit, Alt-Moabit 59-61, 10555 Berlin',
} as const;

/** A core on a fresh data directory, connected to the sandbox, set up as its first run leaves it (FIRST_RUN_SETTINGS). */
export async function connectedCore(box: ZoomSandbox, dataDir = tempDataDir()): Promise<Core> {
  const core = await openCore({ dataDir });
  const connected = await core.dispatch('connectZoom', { ...box.credentials, api_url: box.apiUrl, oauth_url: box.oauthUrl });
  if (!connected.ok) throw new Error(`connect failed: ${connected.error.code}`);
  await core.service.updateSettings({ ...FIRST_RUN_SETTINGS });
  return core;
}

/** Calls an operation and fails the test with its error when it fails; the contract types the name, input and answer. */
export async function call<K extends OperationName>(core: Core, name: K, input: OperationInput<K>): Promise<OperationOutput<K>> {
  const result = await core.dispatch(name, input);
  if (!result.ok) throw new Error(`${name} failed: ${result.error.code}: ${result.error.message}`);
  return result.value as OperationOutput<K>;
}

export interface SandboxRegistrantView {
  id: string;
  email: string;
  status: string;
  state: string;
}

export async function sandboxRegistrants(box: ZoomSandbox, webinarId: string | number): Promise<SandboxRegistrantView[]> {
  const body = await control<{ registrants: SandboxRegistrantView[]; gone: SandboxRegistrantView[] }>(box, 'GET', `registrants?event_id=${webinarId}`);
  return [...body.registrants, ...body.gone];
}

/** The data directory a core was opened on. */
export function dataDirOf(core: Core): string {
  return path.dirname(core.store.path);
}
