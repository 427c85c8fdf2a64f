// Drives headless Chromium over the DevTools protocol: sets the session cookie, opens each page, waits for it
// to settle, and saves a PNG. Usage: node --experimental-websocket capture.mjs DEVTOOLS_PORT BASE SESSION OUT
import { writeFileSync } from "node:fs";

const [devtoolsPort, base, session, out] = process.argv.slice(2);
const version = await (await fetch(`http://127.0.0.1:${devtoolsPort}/json/version`)).json();
const socket = new WebSocket(version.webSocketDebuggerUrl);
await new Promise((resolve, reject) => { socket.onopen = resolve; socket.onerror = reject; });

let nextId = 1;
const pending = new Map();
socket.onmessage = (message) => {
  const data = JSON.parse(message.data);
  if (data.id && pending.has(data.id)) {
    const { resolve, reject } = pending.get(data.id);
    pending.delete(data.id);
    data.error ? reject(new Error(JSON.stringify(data.error))) : resolve(data.result);
  }
};
function send(method, params = {}, sessionId) {
  const id = nextId++;
  socket.send(JSON.stringify({ id, method, params, sessionId }));
  return new Promise((resolve, reject) => pending.set(id, { resolve, reject }));
}
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const { targetId } = await send("Target.createTarget", { url: "about:blank" });
const { sessionId } = await send("Target.attachToTarget", { targetId, flatten: true });
await send("Network.enable", {}, sessionId);
await send("Page.enable", {}, sessionId);

async function capture(path, file, width, height, cookie) {
  await send("Network.clearBrowserCookies", {}, sessionId);
  if (cookie) {
    await send("Network.setCookie", { name: "resync_session", value: session, url: base, httpOnly: true, sameSite: "Strict" }, sessionId);
  }
  await send("Emulation.setDeviceMetricsOverride", { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
  await send("Page.navigate", { url: base + path }, sessionId);
  await sleep(2500);
  const shot = await send("Page.captureScreenshot", { format: "png", captureBeyondViewport: false }, sessionId);
  writeFileSync(`${out}/${file}`, Buffer.from(shot.data, "base64"));
}

await capture("/login?lang=en", "login.png", 1280, 800, false);
await capture("/dashboard?lang=en", "dashboard.png", 1920, 1080, true);
await capture("/?lang=en", "chat.png", 1280, 900, true);
if (process.env.SCREENSHOT_QUESTION) {
  await capture("/?lang=en&q=" + encodeURIComponent(process.env.SCREENSHOT_QUESTION), "chat-answer.png", 1280, 900, true);
}
socket.close();
