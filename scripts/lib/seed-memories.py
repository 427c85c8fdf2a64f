#!/usr/bin/env python3
"""Seeds a few example memories into a Resync SQLite database for the /revisao screenshot.

Usage: seed-memories.py DATABASE_FILE
Writes rows in the format SQLMemoryStore uses (the Memory JSON as payload plus its filter columns) and a
"create" line in the audit log for each, as the store itself would.
"""
import json
import sqlite3
import sys
import time

now = time.time()
memories = [
    dict(id="demo-solution-payroll", kind="known_solution", jobName="PAYROLL_FINAL", errorSignature="RC=12",
         text="RC=12 means the GL extract was not there yet. Wait for GL_EXTRACT to finish, then rerun "
              "PAYROLL_FINAL from the plan (conman rr). No data fix needed.",
         author="ana.souza", conversation=dict(platform="slack", channel="C0OPS", thread="1732600000.000100"),
         sourceLink="https://example.slack.com/archives/C0OPS/p1732600000000100",
         feedback=dict(positive=4, negative=0), status="active", age=3600),
    dict(id="demo-answer-backup", kind="answered_question", jobName="NIGHTLY_BACKUP",
         question="why did NIGHTLY_BACKUP fail last night?",
         text="NIGHTLY_BACKUP ended ABEND with RC=8 at 02:14: the target volume was full. Procedure KB-BKP-003: "
              "free space on /backup and rerun.",
         conversation=dict(platform="web", channel="web"), usedKnowledgeKeys=["KB-BKP-003"],
         feedback=dict(positive=1, negative=3), auditorScore=0.71,
         auditorReason="Feedback is mostly negative and a newer known solution blames the network share.",
         status="flagged", age=7200),
    dict(id="demo-solution-invoice", kind="known_solution", jobName="INVOICE_SYNC", errorSignature="ABEND S0C4",
         text="S0C4 in INVOICE_SYNC came from the old input layout. Ask the billing team to resend the file "
              "with layout v2.",
         author="carlos.lima", conversation=dict(platform="mattermost", channel="ops"),
         feedback=dict(positive=2, negative=0), status="active", age=86400),
    dict(id="demo-answer-gl", kind="answered_question", jobName="GL_CLOSE",
         question="status do job GL_CLOSE?", text="GL_CLOSE terminou com sucesso às 06:10 (RC=0).",
         conversation=dict(platform="slack", channel="C0OPS"), usedKnowledgeKeys=["KB-GL-001"],
         feedback=dict(positive=5, negative=0), auditorScore=0.05, auditorReason="Consistent with the plan.",
         status="approved", age=172800),
]

database = sqlite3.connect(sys.argv[1], timeout=10)
for spec in memories:
    memory = dict(spec)
    age = memory.pop("age")
    memory.setdefault("usedKnowledgeKeys", [])
    memory.setdefault("usedMemoryIDs", [])
    memory["createdAt"] = memory["updatedAt"] = now - age
    search = "\n".join(memory.get(k) or "" for k in ("question", "text", "jobName", "errorSignature")).lower()
    job = memory.get("jobName")
    database.execute(
        "INSERT OR REPLACE INTO memories (id, kind, job_base, error_key, status, platform, search_text, positive, "
        "negative, auditor_score, created_at, updated_at, payload) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        (memory["id"], memory["kind"], job, None, memory["status"], memory["conversation"]["platform"], search,
         memory["feedback"]["positive"], memory["feedback"]["negative"], memory.get("auditorScore"),
         memory["createdAt"], memory["updatedAt"], json.dumps(memory, sort_keys=True)))
    database.execute(
        "INSERT INTO memory_audit_log (memory_id, actor, action, from_status, to_status, reason, at) "
        "VALUES (?,?,?,?,?,?,?)",
        (memory["id"], memory.get("author") or "resync", "create", None, memory["status"], memory["kind"],
         memory["createdAt"]))
database.commit()
print(f"seeded {len(memories)} memories")
