/* PalmOS facts the application start-up code (app_start.S, app_rt.c) and the application link
 * script (guest-sdk/link/app.ld.S) need: trap words, launch flags, SysAppInfoType offsets,
 * error codes. The values mirror palm-abi (traps.rs, app_layout.rs, errors.rs); the native
 * test guest-sdk/tests/app_header.rs parses this file and checks every value.
 * Plain #defines only: usable from C, GNU as (.S) and the preprocessed link script. */
#ifndef PALM_APP_H
#define PALM_APP_H

/* traps.rs */
#define PALM_TRAP_MEM_CHUNK_FREE        0xA012
#define PALM_TRAP_MEM_PTR_NEW           0xA013
#define PALM_TRAP_SYS_APP_STARTUP       0xA08F
#define PALM_TRAP_SYS_APP_EXIT          0xA090

/* app_layout.rs: sysAppLaunchFlag* */
#define PALM_LAUNCH_FLAG_NEW_GLOBALS    0x0004
#define PALM_LAUNCH_FLAG_DATA_RELOCATED 0x0080

/* app_layout.rs: SysAppInfoType field offsets */
#define PALM_APP_INFO_CMD               0
#define PALM_APP_INFO_CMD_PBP           2
#define PALM_APP_INFO_LAUNCH_FLAGS      6

/* errors.rs */
#define PALM_SYS_ERR_PARAM_ERR          0x0502
#define PALM_MEM_ERR_NOT_ENOUGH_SPACE   0x0102

#endif
