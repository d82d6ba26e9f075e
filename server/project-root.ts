// The project's folder, whether the server runs from source (server/…, through tsx) or compiled
// (dist/server/…, `npm run start:prod`): files that are not code, such as the web app's build and
// the migrations, are found from here.
import path from 'node:path';

const compiled = path.basename(path.resolve(import.meta.dirname, '..')) === 'dist';

export const PROJECT_ROOT = path.resolve(import.meta.dirname, compiled ? '../..' : '..');
