-- scripts/load.sh's mixed load: 7 of every 10 requests post the survey form, 3 send a signed GitHub
-- deployment_status webhook. Run with as many threads as connections, so that each thread has one request in
-- flight and knows which request an answer belongs to.
--
-- Each write carries a marker (the form's `best` answer `durability load-RUN-THREAD-N`, the deployment id
-- RUN·10¹² + THREAD·10⁹ + N), written to LOAD_OUT/PHASE-THREAD.sent before it is sent and to .acked once answered
-- 2xx, in scripts/durability.py's format, so `durability.py verify` can check them against the database.
-- Environment: LOAD_OUT, LOAD_PHASE, LOAD_RUN (a small number, distinct per wrk run), LOAD_CSRF and LOAD_COOKIE
-- (a form token and its cookie), LOAD_SECRET (the GitHub webhook secret).
dofile("scripts/wrk/hmac.lua")

local threads = {}
local run = tonumber(os.getenv("LOAD_RUN"))
local secret = os.getenv("LOAD_SECRET")
local form_headers = { ["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = os.getenv("LOAD_COOKIE") }
local form_prefix = "csrf=" .. os.getenv("LOAD_CSRF") .. "&month=2026-11&team=payments&answers.best=durability+"
local form_suffix = "&answers.worst=Flaky+integration+tests&answers.change=Cache+dependencies+in+CI&ratings.satisfaction=4"
local webhook_body = '{"action":"created","deployment_status":{"id":%s,"state":"success","environment":"production",'
   .. '"created_at":"2026-11-02T10:15:00Z","updated_at":"2026-11-02T10:15:00Z"},"deployment":{"id":%s,'
   .. '"sha":"%040x","ref":"main","task":"deploy","environment":"production","created_at":"2026-11-02T10:05:00Z"},'
   .. '"repository":{"id":1296269,"name":"service-%03d","full_name":"acme/service-%03d"},"sender":{"login":"deploy-bot","id":1}}'

function setup(thread)
   thread:set("number", #threads + 1)
   table.insert(threads, thread)
end

-- Markers are kept in memory and appended to the files a few thousand at a time, by a file opened only for that:
-- wrk sizes each thread's event loop for 10 + 3 × connections descriptors, counted across the process, and two
-- files held open per thread pushed a quarter of the 64 sockets past that limit, so they never connected.
local function append(path, lines)
   local file = io.open(path, "a")
   file:write(table.concat(lines, "\n"), "\n")
   file:close()
end

function init(args)
   ok, client_errors, server_errors, count = 0, 0, 0, 0
   base = os.getenv("LOAD_OUT") .. "/" .. os.getenv("LOAD_PHASE") .. "-" .. number
   sent, acked = {}, {}
end

local function note(lines, kind, marker)
   lines[#lines + 1] = marker
   if #lines < 4096 then return lines end
   append(base .. "." .. kind, lines)
   return {}
end

function request()
   -- wrk calls this once more in the first thread to inspect a request it never sends (that marker is tried, not
   -- stored); the guard is for a Lua state where init has not run.
   if not sent then return wrk.format("POST", "/survey", form_headers, "") end
   count = count + 1
   local label = string.format("load-%d-%d-%d", run, number, count)
   if count % 10 < 7 then
      pending = "response:durability " .. label
      sent = note(sent, "sent", pending)
      return wrk.format("POST", "/survey", form_headers, form_prefix .. label .. form_suffix)
   end
   local id = string.format("%.0f", run * 1e12 + number * 1e9 + count)
   pending = "deployment:github-deployment-" .. id
   sent = note(sent, "sent", pending)
   local body = string.format(webhook_body, id, id, count, count % 200, count % 200)
   local headers = {
      ["Content-Type"] = "application/json",
      ["X-GitHub-Event"] = "deployment_status",
      ["X-GitHub-Delivery"] = label,
      ["X-Hub-Signature-256"] = "sha256=" .. hmac_sha256_hex(secret, body),
   }
   return wrk.format("POST", "/webhooks/github", headers, body)
end

function response(status, headers, body)
   if status >= 200 and status < 300 then
      ok = ok + 1
      acked = note(acked, "acked", pending)
   elseif status >= 500 then
      server_errors = server_errors + 1
   else
      client_errors = client_errors + 1
   end
end

function done(summary, latency, requests)
   local total = { ok = 0, client_errors = 0, server_errors = 0 }
   for _, thread in ipairs(threads) do
      for name in pairs(total) do total[name] = total[name] + thread:get(name) end
      -- What each thread still holds; an empty list still creates the file.
      local path = thread:get("base")
      append(path .. ".sent", thread:get("sent"))
      append(path .. ".acked", thread:get("acked"))
   end
   local errors = summary.errors
   io.write(string.format(
      "RESULT ok=%d 4xx=%d 5xx=%d socket_errors=%d connect=%d read=%d write=%d timeout=%d seconds=%.3f requests_per_s=%.0f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f p999_ms=%.2f max_ms=%.2f\n",
      total.ok, total.client_errors, total.server_errors, errors.connect + errors.read + errors.write + errors.timeout,
      errors.connect, errors.read, errors.write, errors.timeout,
      summary.duration / 1e6, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1e3,
      latency:percentile(90) / 1e3, latency:percentile(99) / 1e3, latency:percentile(99.9) / 1e3, latency.max / 1e3))
end
