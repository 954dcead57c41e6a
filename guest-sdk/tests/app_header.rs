//! The application start-up code (`guest-sdk/c/app_start.S`, `app_rt.c`) takes its PalmOS
//! constants from `guest-sdk/c/include/palm_app.h`; this test keeps every value there equal to
//! palm-abi's.

use palm_abi::app_layout::{app_info, flags};
use palm_abi::{errors, traps};
mod header;


#[test]
fn palm_app_header_matches_palm_abi() {
    let d = header::header_defines("palm_app.h");
    let expect: &[(&str, u64)] = &[
        ("PALM_TRAP_MEM_CHUNK_FREE", traps::MEM_CHUNK_FREE as u64),
        ("PALM_TRAP_MEM_PTR_NEW", traps::MEM_PTR_NEW as u64),
        ("PALM_TRAP_SYS_APP_STARTUP", traps::SYS_APP_STARTUP as u64),
        ("PALM_TRAP_SYS_APP_EXIT", traps::SYS_APP_EXIT as u64),
        ("PALM_LAUNCH_FLAG_NEW_GLOBALS", flags::NEW_GLOBALS as u64),
        ("PALM_LAUNCH_FLAG_DATA_RELOCATED", flags::DATA_RELOCATED as u64),
        ("PALM_APP_INFO_CMD", app_info::CMD as u64),
        ("PALM_APP_INFO_CMD_PBP", app_info::CMD_PBP as u64),
        ("PALM_APP_INFO_LAUNCH_FLAGS", app_info::LAUNCH_FLAGS as u64),
        ("PALM_SYS_ERR_PARAM_ERR", errors::SYS_ERR_PARAM_ERR as u64),
        ("PALM_MEM_ERR_NOT_ENOUGH_SPACE", errors::MEM_ERR_NOT_ENOUGH_SPACE as u64),
    ];
    for &(name, want) in expect {
        assert_eq!(d.get(name).copied(), Some(want), "{name} in palm_app.h");
    }
    for name in d.keys().filter(|n| n.starts_with("PALM_")) {
        assert!(expect.iter().any(|(n, _)| n == name), "{name} in palm_app.h is not checked against palm-abi");
    }
}
