| A minimal "app manager" for tests/tests/prc_apps.rs: launches the application database whose
| name is the program's arguments (Machine::set_program_args) with SysAppLaunch, then waits
| for an event (EvtGetEvent, evtWaitForever: the machine stops Idle). Any event but
| appStopEvent launches the application again; appStopEvent ends the program with the number
| of launches.
|   launch i: SysAppLaunch(0, dbID, 0, cmd = 0x8001 + i, cmdPBP = launch_name, &log[i].result)
|   launch_log[i] = { UInt32 err (SysAppLaunch's), UInt32 result (the application's D0) }
| Exit codes: the number of launches; 0xFFFF0001 no name given, 0xFFFF0002 no such database.
| Built by scripts/build-guest.sh (linked with boot.S, which sets up the trap dispatch table
| that SDK applications call through).
#include "palm_abi.h"

#define MAX_LAUNCHES    16
#define APP_STOP_EVENT  22

        .bss
        .balign 4
        .globl  launch_name, launch_count, launch_log
launch_name:    .space  32
event:          .space  24
launch_count:   .space  4
launch_log:     .space  8 * MAX_LAUNCHES

        .text
        .globl  guest_main
guest_main:
        movem.l %d3-%d4, -(%sp)
        move.l  #31, -(%sp)                     | HostControl(HOST_GET_ARGS, launch_name, 31)
        pea     launch_name
        move.w  #PALM_HOST_GET_ARGS, -(%sp)
        trap    #15
        .word   PALM_TRAP_HOST_CONTROL
        lea     10(%sp), %sp
        tst.l   %d0
        beq.w   no_name

        pea     launch_name                     | DmFindDatabase(0, launch_name)
        clr.w   -(%sp)
        trap    #15
        .word   0xA045
        addq.l  #6, %sp
        move.l  %d0, %d3                        | dbID
        beq.w   not_found

launch:
        move.l  launch_count, %d4
        cmpi.l  #MAX_LAUNCHES, %d4
        bcc.s   done
        lea     launch_log, %a0
        pea     4(%a0,%d4.l*8)                  | resultP = &launch_log[i].result
        pea     launch_name                     | cmdPBP
        move.w  %d4, %d0
        addi.w  #0x8001, %d0
        move.w  %d0, -(%sp)                     | cmd
        clr.w   -(%sp)                          | launchFlags
        move.l  %d3, -(%sp)                     | dbID
        clr.w   -(%sp)                          | cardNo
        trap    #15
        .word   0xA08E                          | SysAppLaunch
        lea     18(%sp), %sp
        andi.l  #0xFFFF, %d0
        lea     launch_log, %a0
        move.l  %d0, (%a0,%d4.l*8)              | launch_log[i].err
        addq.l  #1, launch_count

wait:
        move.l  #-1, -(%sp)                     | EvtGetEvent(&event, evtWaitForever)
        pea     event
        trap    #15
        .word   0xA11D
        addq.l  #8, %sp
        cmpi.w  #APP_STOP_EVENT, event
        bne.s   launch

done:
        move.l  launch_count, %d0
        bra.s   out
no_name:
        move.l  #0xFFFF0001, %d0
        bra.s   out
not_found:
        move.l  #0xFFFF0002, %d0
out:
        movem.l (%sp)+, %d3-%d4
        rts
