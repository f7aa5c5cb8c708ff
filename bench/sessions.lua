-- wrk script for bench/http-county.sh: each request carries one of several signed-in
-- sessions in turn (COOKIES: cookies separated by spaces), as many users would send them;
-- one session alone is limited by design to two database connections at once (README,
-- Fairness under load).
local cookies = {}
for c in string.gmatch(os.getenv("COOKIES") or "", "%S+") do cookies[#cookies + 1] = c end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", wrk.path, { ["Cookie"] = cookies[(i % #cookies) + 1] })
end
