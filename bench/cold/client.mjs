// What an application's first line costs: a static import of the client (cold.mjs times this file).
import '@x/client';
