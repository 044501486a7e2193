#!/usr/bin/python3
"""Records test/output/fixtures/local-times.json: datetime.fromtimestamp(t, dateutil.tz.tzlocal()).isoformat()
as the AWS CLI renders timestamps, for time zones (tz database names and POSIX TZ strings) and instants,
each computed in a fresh Python process with that TZ (the Debian AWS CLI's Python, /usr/bin/python3).

    /usr/bin/python3 scripts/record-local-times.py
"""
import json
import os
import subprocess

ZONES = ["UTC", "Europe/Amsterdam", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Europe/Moscow",
         "Pacific/Chatham", "America/St_Johns", "XYZ-03:30", "ABC+05", "EST5EDT,M3.2.0,M11.1.0", "<+0530>-05:30",
         "AEST-10AEDT,M10.1.0,M4.1.0/3"]
INSTANTS = [0, -2000000000, 1700000000.5, 1720000000.123456, 1767225599, 1710054000, 1710050400, 1730613600, 1730617200, 951782400, -1]
SCRIPT = """
import datetime, json, sys
from dateutil.tz import tzlocal
print(json.dumps([datetime.datetime.fromtimestamp(t, tzlocal()).isoformat() for t in json.loads(sys.argv[1])]))
"""
cases = []
for zone in ZONES:
    env = dict(os.environ, TZ=zone)
    out = subprocess.run(["/usr/bin/python3", "-c", SCRIPT, json.dumps(INSTANTS)], env=env, capture_output=True, text=True, check=True).stdout
    for t, text in zip(INSTANTS, json.loads(out)):
        cases.append({"tz": zone, "epoch": t, "iso": text})
path = os.path.join(os.path.dirname(__file__), "..", "test", "output", "fixtures", "local-times.json")
with open(path, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print("%d cases written to %s" % (len(cases), path))
