// Entry of the browser page: runs the smoke program and leaves the outcome on `window`.
import { smoke } from './smoke.mjs';

smoke(window.SMOKE_ENV).then(
  (result) => (window.smokeResult = result),
  (err) => (window.smokeError = String(err && err.stack ? err.stack : err)),
);
