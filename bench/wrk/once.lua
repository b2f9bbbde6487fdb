-- requests.lua in "once" mode: a connection whose thread has no line left waits
-- instead of sending anything, so no request outside the file pollutes the figures.
-- (Only this script defines delay(): wrk then schedules every request through a
-- timer, which the loop-mode runs should not pay for.)

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "requests.lua")

function delay()
  if once and sent >= count then
    return 3600000 -- an hour: the run ends long before
  end
  return 0
end
