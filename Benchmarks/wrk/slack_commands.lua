-- wrk script: POST /slack/commands with a valid Slack v0 signature on every request and a unique
-- trigger_id, so de-duplication never short-circuits the work being measured.
-- SLACK_SIGNING_SECRET must match the server's.
package.path = package.path .. ";" .. (os.getenv("WRK_LUA_DIR") or ".") .. "/?.lua"
local hmac = require("hmac_fast")
local secret = os.getenv("SLACK_SIGNING_SECRET") or "bench-signing-secret"
local counter = 0
local thread_id = 0

function setup(thread)
  thread_id = thread_id + 1
  thread:set("thread_id", thread_id)
end

function init(args)
  math.randomseed(os.time() + (thread_id or 0))
end

function request()
  counter = counter + 1
  local trigger = string.format("bench.%d.%d.%d", thread_id or 0, counter, math.random(1, 1e9))
  local body = "token=unused&team_id=T0BENCH&team_domain=bench&channel_id=C0BENCH&channel_name=ops"
    .. "&user_id=U0BENCH&user_name=bench&command=%2Fresync&text=status+PAYROLL_FINAL"
    .. "&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fresponse&trigger_id=" .. trigger
  local timestamp = tostring(os.time())
  local signature = "v0=" .. hmac.hmac_sha256_hex(secret, "v0:" .. timestamp .. ":" .. body)
  return wrk.format("POST", "/slack/commands", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["X-Slack-Request-Timestamp"] = timestamp,
    ["X-Slack-Signature"] = signature,
  }, body)
end
