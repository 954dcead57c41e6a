| A minimal UI-shell "app manager" for tests/tests/store_launch.rs: the ROM's built-in
| application (boot.S calls guest_main and hands its result to the UI shell). On its first run
| it switches to the database named by the program's arguments (Machine::set_program_args)
| with SysUIAppSwitch(0, dbID, sysAppLaunchCmdNormalLaunch, NULL), takes the appStopEvent the
| switch posts and returns, so the UI shell launches that application. On every later run
| (after the application returned: Home, appStopEvent) it waits for an event
| (EvtGetEvent, evtWaitForever: the machine stops Idle): appStopEvent ends the program with the
| number of runs; any other event switches to the database named by the arguments again.
| Exit codes: the number of runs; 0xFFFF0001 no name given, 0xFFFF0002 no such database,
| 0xFFFF0003 SysUIAppSwitch failed.
#include "palm_abi.h"

#define APP_STOP_EVENT  22

        .bss
        .balign 4
        .globl  ui_name, ui_runs
ui_name:        .space  32
event:          .space  24
ui_runs:        .space  4

        .text
        .globl  guest_main
guest_main:
        addq.l  #1, ui_runs
        cmpi.l  #1, ui_runs
        beq.s   launch
wait:
        move.l  #-1, -(%sp)                     | EvtGetEvent(&event, evtWaitForever)
        pea     event
        trap    #15
        .word   0xA11D
        addq.l  #8, %sp
        cmpi.w  #APP_STOP_EVENT, event
        bne.s   launch
        move.l  ui_runs, %d0
        rts

launch:
        lea     ui_name, %a0                    | the arguments carry no NUL: clear first
        moveq   #7, %d0
1:      clr.l   (%a0)+
        dbra    %d0, 1b
        move.l  #31, -(%sp)                     | HostControl(HOST_GET_ARGS, ui_name, 31)
        pea     ui_name
        move.w  #PALM_HOST_GET_ARGS, -(%sp)
        trap    #15
        .word   PALM_TRAP_HOST_CONTROL
        lea     10(%sp), %sp
        tst.l   %d0
        beq.s   no_name

        pea     ui_name                         | DmFindDatabase(0, ui_name)
        clr.w   -(%sp)
        trap    #15
        .word   0xA045
        addq.l  #6, %sp
        tst.l   %d0
        beq.s   not_found

        clr.l   -(%sp)                          | SysUIAppSwitch(0, dbID, 0, NULL)
        clr.w   -(%sp)
        move.l  %d0, -(%sp)
        clr.w   -(%sp)
        trap    #15
        .word   0xA0A7
        lea     12(%sp), %sp
        tst.w   %d0
        bne.s   failed

drain:
        move.l  #-1, -(%sp)                     | until the appStopEvent the switch posted
        pea     event
        trap    #15
        .word   0xA11D
        addq.l  #8, %sp
        cmpi.w  #APP_STOP_EVENT, event
        bne.s   drain
        moveq   #0, %d0
        rts

no_name:
        move.l  #0xFFFF0001, %d0
        rts
not_found:
        move.l  #0xFFFF0002, %d0
        rts
failed:
        move.l  #0xFFFF0003, %d0
        rts
