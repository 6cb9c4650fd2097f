import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const APP_DIR_NAME = 'dsr-desk';

/**
 * The OS's per-user app data folder, the same one Electron's app.getPath('userData') gives for
 * this app name, so the desktop app and the CLI share one database by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.DSR_DESK_DATA_DIR) return path.resolve(env.DSR_DESK_DATA_DIR);
  const home = os.homedir();
  switch (platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_DIR_NAME);
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_DIR_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_DIR_NAME);
  }
}

/**
 * The package's root folder (where package.json is), found upwards from this file so it resolves
 * the same whether this runs compiled from dist/ (the app, the CLI) or from sources (the tests).
 */
export function packageRoot(from: string = __dirname): string {
  let dir = from;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/** The built UI (dist/renderer). */
export function builtRendererDir(from: string = __dirname): string {
  return path.join(packageRoot(from), 'dist', 'renderer');
}

/** The app's version, as its package.json says: printed on every document. */
export function appVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
