-- wrk script: POST /slack/commands with a valid Slack v0 signature on every request and a unique
-- trigger_id, so de-duplication never short-circuits the work being measured.
-- SLACK_SIGNING_SECRET must match the server's.
-- The load generator shares the machine's cores with the server, so each request is built with as little work
-- as possible: the constant parts of the body and of the request head are joined once, not per request.
package.path = package.path .. ";" .. (os.getenv("WRK_LUA_DIR") or ".") .. "/?.lua"
local hmac = require("hmac_fast")
local secret = os.getenv("SLACK_SIGNING_SECRET") or "bench-signing-secret"
local counter = 0
local threads_created = 0
local trigger_prefix
local body_prefix = "token=unused&team_id=T0BENCH&team_domain=bench&channel_id=C0BENCH&channel_name=ops"
  .. "&user_id=U0BENCH&user_name=bench&command=%2Fresync&text=status+PAYROLL_FINAL"
  .. "&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fresponse&trigger_id="
local head

-- Runs in the main Lua state; `thread:set` makes a global in the thread's own state, which `init` reads (a local of
-- the same name would shadow it, and every thread would then send the same trigger ids: duplicates).
function setup(thread)
  threads_created = threads_created + 1
  thread:set("thread_number", threads_created)
end

function init(args)
  local number = rawget(_G, "thread_number")
  assert(number, "setup did not number this thread")
  math.randomseed(os.time() * 100 + number)
  -- Unique across threads (their number) and across runs against the same database (the random part).
  trigger_prefix = string.format("bench.%d.%d.", number, math.random(1, 1e9))
  head = "POST " .. wrk.path .. " HTTP/1.1\r\nHost: " .. wrk.headers["Host"]
    .. "\r\nContent-Type: application/x-www-form-urlencoded\r\nX-Slack-Request-Timestamp: "
end

function request()
  counter = counter + 1
  local body = body_prefix .. trigger_prefix .. counter
  local timestamp = tostring(os.time())
  local signature = "v0=" .. hmac.hmac_sha256_hex(secret, "v0:" .. timestamp .. ":" .. body)
  return head .. timestamp .. "\r\nX-Slack-Signature: " .. signature .. "\r\nContent-Length: " .. #body
    .. "\r\n\r\n" .. body
end
