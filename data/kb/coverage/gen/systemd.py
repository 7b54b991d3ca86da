#!/usr/bin/env python3
"""Catalogue systemd's exit statuses for a service's main process, as
data/kb/coverage/systemd.tsv.

Usage: systemd.py > data/kb/coverage/systemd.tsv

The rows are the "Process Exit Codes" table of systemd.exec(5) (systemd
257; the numbers and names are those of src/basic/exit-status.c) rendered
into the line service.c writes when the main process ends:
"UNIT: Main process exited, code=exited, status=N/NAME". Each row names
the record that recognises it; the decision for a status lives in RECORD
and REASON below, so a new status in a later release shows up without one
until someone adds it.
"""

CODES = [
    (1, "FAILURE"), (2, "INVALIDARGUMENT"), (3, "NOTIMPLEMENTED"),
    (4, "NOPERMISSION"), (5, "NOTINSTALLED"), (6, "NOTCONFIGURED"),
    (7, "NOTRUNNING"),
    (200, "CHDIR"), (201, "NICE"), (202, "FDS"), (203, "EXEC"),
    (204, "MEMORY"), (205, "LIMITS"), (206, "OOM_ADJUST"),
    (207, "SIGNAL_MASK"), (208, "STDIN"), (209, "STDOUT"), (210, "CHROOT"),
    (211, "IOPRIO"), (212, "TIMERSLACK"), (213, "SECUREBITS"),
    (214, "SETSCHEDULER"), (215, "CPUAFFINITY"), (216, "GROUP"),
    (217, "USER"), (218, "CAPABILITIES"), (219, "CGROUP"), (220, "SETSID"),
    (221, "CONFIRM"), (222, "STDERR"), (224, "PAM"), (225, "NETWORK"),
    (226, "NAMESPACE"), (227, "NO_NEW_PRIVILEGES"), (228, "SECCOMP"),
    (229, "SELINUX_CONTEXT"), (230, "PERSONALITY"), (231, "APPARMOR"),
    (232, "ADDRESS_FAMILIES"), (233, "RUNTIME_DIRECTORY"), (235, "CHOWN"),
    (236, "SMACK_PROCESS_LABEL"), (237, "KEYRING"),
    (238, "STATE_DIRECTORY"), (239, "CACHE_DIRECTORY"),
    (240, "LOGS_DIRECTORY"), (241, "CONFIGURATION_DIRECTORY"),
    (242, "NUMA_POLICY"), (243, "CREDENTIALS"), (245, "BPF"),
]
OWN = {203: "systemd/exec-failed-203", 217: "systemd/user-lookup-failed-217",
       226: "systemd/namespace-setup-failed-226"}
REASON = {
    221: "not actionable: the operator declined the start at the "
         "confirmation prompt (systemd.confirm_spawn)",
}
WHERE = "systemd.exec(5) Process Exit Codes; src/core/service.c"
FORMAT = "%s: Main process exited, code=exited, status=%i/%s"
PREFIX = "Dec  1 10:00:00 host systemd[1]: app.service: "


def main():
    print("level\twhere\tformat\trecord\treason\tsample")
    for code, name in CODES:
        fmt = FORMAT.replace("%i/%s", "%d/%s" % (code, name))
        sample = (PREFIX + "Main process exited, code=exited, "
                  "status=%d/%s" % (code, name))
        if code in REASON:
            record, reason = "-", REASON[code]
        else:
            if code in OWN:
                record = OWN[code]
            elif code >= 200:
                record = "systemd/exec-setup-step-failed"
            else:
                record = "systemd/main-process-exited-failure"
            reason = ""
        print("\t".join(["NOTICE", WHERE, fmt, record, reason, sample]))


if __name__ == "__main__":
    main()
