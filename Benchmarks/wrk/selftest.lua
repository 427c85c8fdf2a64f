-- Checks the Lua signer against Slack's documented signature vector before any benchmark uses it.
package.path = package.path .. ";" .. (os.getenv("WRK_LUA_DIR") or ".") .. "/?.lua"
local pure = require("hmac_sha256")
local fast = require("hmac_fast")
local body = "token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V"
  .. "&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text="
  .. "&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN"
  .. "&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c"
local want = "v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503"
for name, hmac in pairs({ lua = pure, [fast.implementation] = fast }) do
  local got = "v0=" .. hmac.hmac_sha256_hex("8f742231b10e8888abcd99yyyzzz85a5", "v0:1531420618:" .. body)
  if got ~= want then
    io.stderr:write(name .. " HMAC-SHA256 self-test failed: " .. got .. "\n")
    os.exit(1)
  end
  print(name .. " signer: ok")
end
