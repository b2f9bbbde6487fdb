-- Replays a generated request file: one request per line, tab-separated
--   METHOD <TAB> PATH <TAB> TOKEN (or -) <TAB> BODY (or -)
-- Usage: wrk -t THREADS ... -s bench/wrk/requests.lua URL -- FILE MODE THREADS [DONE]
--   MODE "loop": every thread cycles over the whole file from its own offset;
--   MODE "once": the threads share the file out and each stops after its slice
--                (every line is sent once: starting or submitting attempts);
--                each thread creates DONE.<thread id> when its last response is in.
--                Run once.lua for this mode: it adds the delay() that parks a
--                connection once its thread's slice is used up.
-- done() prints one line "WRK_JSON {...}" with the latency distribution and the
-- response status counts, which bench/loadgen.py parses.

local threads = {}
local thread_count = 0

function setup(thread)
  thread:set("id", thread_count)
  thread_count = thread_count + 1
  table.insert(threads, thread)
end

local function split(line)
  local fields = {}
  for field in string.gmatch(line, "([^\t]*)\t?") do
    table.insert(fields, field)
    if #fields == 4 then break end
  end
  return fields
end

function init(args)
  local path, mode = args[1], args[2] or "loop"
  thread_count_hint = tonumber(args[3] or "1")
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then table.insert(lines, line) end
  end
  local total = #lines
  local first, last = 1, total
  if mode == "once" then
    local per = math.ceil(total / thread_count_hint)
    first = id * per + 1
    last = math.min(total, (id + 1) * per)
  end
  prepared = {}
  for i = first, last do
    local f = split(lines[i])
    local headers = {}
    if f[3] ~= "-" then headers["Authorization"] = "Bearer " .. f[3] end
    local body = nil
    if f[4] ~= nil and f[4] ~= "-" then
      body = f[4]
      headers["Content-Type"] = "application/json"
    end
    table.insert(prepared, wrk.format(f[1], f[2], headers, body))
  end
  once = mode == "once"
  count = #prepared
  -- Threads in loop mode start at different places, so they do not march in step.
  position = once and 0 or math.floor(count * id / thread_count_hint)
  sent = 0
  received = 0
  primed = false
  finished = false
  done_file = args[4]
  statuses = {}
end

function request()
  if not primed then
    -- wrk (4.1) may call request() once per thread and throw the result away: do not
    -- let that call use up a line. If it is used after all, the first line goes twice
    -- (a resume or an idempotent repeat), never zero times.
    primed = true
    return prepared[1]
  end
  if once and sent >= count then
    -- once.lua's delay() keeps a connection from getting here; should one anyway,
    -- resend the slice's last line (a resume or an idempotent repeat).
    return prepared[count]
  end
  position = position % count + 1
  sent = sent + 1
  return prepared[position]
end

function response(status, headers, body)
  local key = tostring(status)
  statuses[key] = (statuses[key] or 0) + 1
  received = received + 1
  if once and not finished and sent >= count and received >= sent then
    finished = true
    -- Tell bench/loadgen.py this slice is finished; it interrupts wrk (SIGINT) when
    -- every thread is, so the measured duration ends with the last response.
    if done_file then
      local marker = io.open(done_file .. "." .. id, "w")
      marker:close()
    end
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local counts = {}
  for _, thread in ipairs(threads) do
    local s = thread:get("statuses")
    for key, value in pairs(s) do
      counts[key] = (counts[key] or 0) + value
    end
  end
  local parts = {}
  for key, value in pairs(counts) do
    table.insert(parts, string.format('"%s": %d', key, value))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d}, ' ..
    '"latency_us": {"min": %d, "mean": %.1f, "p50": %d, "p90": %d, "p99": %d, "p999": %d, "max": %d}, ' ..
    '"statuses": {%s}}\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency.min, latency.mean, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency:percentile(99.9), latency.max,
    table.concat(parts, ", ")))
end
