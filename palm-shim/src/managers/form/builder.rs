//! A host-side builder for the UI resources of our own applications: forms (`tFRM`), alerts
//! (`Talt`) and strings (`tSTR`), written in readable Rust and producing exactly the bytes
//! the Form Manager parses (PilRC's layout, see [`super::resource`]).
//!
//! ```
//! use palm_shim::forms::builder::{AlertBuilder, FieldOptions, FormBuilder};
//! use palm_abi::ui_layout::CONFIRMATION_ALERT;
//!
//! let form = FormBuilder::new(1000, "Counter", (0, 0, 160, 160))
//!     .label(1001, "Count:", 10, 30)
//!     .field(1002, (50, 30, 60, 12), FieldOptions::default())
//!     .button(1003, "Add", (10, 140, 36, 12))
//!     .push_button(1004, "A", (60, 140, 12, 12), 1)
//!     .push_button(1005, "B", (73, 140, 12, 12), 1)
//!     .checkbox(1006, "Loud", (100, 140, 50, 12), false)
//!     .list(1007, (10, 50, 60, 33), &["One", "Two", "Three"])
//!     .build();
//! assert_eq!(&form[40..42], &1000u16.to_be_bytes());
//! let alert = AlertBuilder::new(CONFIRMATION_ALERT, "Delete", "Delete ^1?").button("OK").button("Cancel").build();
//! assert!(alert.len() > 8);
//! ```
//!
//! Defaults follow PilRC: forms are usable with a focusable dialog window; [`FormBuilder::modal`]
//! adds the modal flag, the dialog frame (corner 3, width 2) and save-behind; controls are
//! usable, enabled and left-anchored in `stdFont`; buttons have the standard (rounded) frame,
//! push buttons the standard frame, check boxes and popup triggers none; fields are usable,
//! editable, underlined, single-line with room for 80 characters; lists are usable and
//! enabled.

use super::resource::{AlertResource, FormObject, FormResource};
use crate::pdb::ResourceEntry;
use palm_abi::ui_layout::*;

impl From<(i16, i16, i16, i16)> for Rect4 {
    fn from(r: (i16, i16, i16, i16)) -> Self {
        Rect4(RectangleType::new(r.0, r.1, r.2, r.3))
    }
}
impl From<RectangleType> for Rect4 {
    fn from(r: RectangleType) -> Self {
        Rect4(r)
    }
}

/// A rectangle argument: a `RectangleType` or `(x, y, width, height)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect4(pub RectangleType);

/// Options of a control (see [`FormBuilder::control`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlOptions {
    /// `FontID`.
    pub font: u8,
    /// `ButtonFrameType`.
    pub frame: u8,
    /// Push-button / check-box group (0 = none).
    pub group: u8,
    pub on: bool,
    pub enabled: bool,
    pub usable: bool,
    pub left_anchor: bool,
}

impl Default for ControlOptions {
    fn default() -> Self {
        Self { font: STD_FONT, frame: STANDARD_BUTTON_FRAME, group: 0, on: false, enabled: true, usable: true, left_anchor: true }
    }
}

/// Options of a field (see [`FormBuilder::field`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldOptions {
    pub max_chars: u16,
    pub editable: bool,
    pub underlined: bool,
    pub single_line: bool,
    pub dynamic_size: bool,
    /// `JustificationType`.
    pub justification: u8,
    pub auto_shift: bool,
    pub numeric: bool,
    pub has_scroll_bar: bool,
    pub usable: bool,
    pub font: u8,
}

impl Default for FieldOptions {
    fn default() -> Self {
        Self {
            max_chars: 80,
            editable: true,
            underlined: true,
            single_line: true,
            dynamic_size: false,
            justification: LEFT_ALIGN,
            auto_shift: false,
            numeric: false,
            has_scroll_bar: false,
            usable: true,
            font: STD_FONT,
        }
    }
}

impl FieldOptions {
    /// A multi-line, editable, underlined field.
    pub fn multi_line(max_chars: u16) -> Self {
        Self { max_chars, single_line: false, ..Self::default() }
    }
    /// A non-editable, not underlined field (text shown by the application).
    pub fn read_only() -> Self {
        Self { editable: false, underlined: false, ..Self::default() }
    }
}

/// Builds a `tFRM` resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormBuilder {
    form: FormResource,
}

impl FormBuilder {
    /// A form with ID `form_id` covering `bounds`; a non-empty `title` becomes its title
    /// object (the first object).
    pub fn new(form_id: u16, title: &str, bounds: impl Into<Rect4>) -> Self {
        let mut form = FormResource {
            form_id,
            window_flags: WIN_FLAG_FOCUSABLE | WIN_FLAG_DIALOG,
            bounds: bounds.into().0,
            frame_type: 0,
            attr: FORM_ATTR_USABLE,
            ..Default::default()
        };
        if !title.is_empty() {
            form.objects.push(FormObject::Title { rect: RectangleType::default(), text: title.as_bytes().to_vec() });
        }
        Self { form }
    }

    /// A modal dialog: modal window, dialog frame, bits behind saved.
    pub fn modal(mut self) -> Self {
        self.form.window_flags |= WIN_FLAG_MODAL;
        self.form.frame_type = 0x0302;
        self.form.attr |= FORM_ATTR_SAVE_BEHIND;
        self
    }
    /// Whether the screen under the form is saved when it is drawn and restored when erased.
    pub fn save_behind(mut self, on: bool) -> Self {
        set_bit32(&mut self.form.attr, FORM_ATTR_SAVE_BEHIND, on);
        self
    }
    pub fn default_button(mut self, id: u16) -> Self {
        self.form.default_button = id;
        self
    }
    pub fn help(mut self, string_id: u16) -> Self {
        self.form.help_rsc_id = string_id;
        self
    }
    pub fn menu(mut self, menu_id: u16) -> Self {
        self.form.menu_rsc_id = menu_id;
        self
    }
    /// Adds any object.
    pub fn object(mut self, o: FormObject) -> Self {
        self.form.objects.push(o);
        self
    }

    /// A text control of any `ControlStyleType`.
    pub fn control(self, id: u16, style: u8, label: &str, bounds: impl Into<Rect4>, o: ControlOptions) -> Self {
        let control = ControlType { id, bounds: bounds.into().0, text: 0, attr: control_attr(&o, false), style, font: o.font, group: o.group };
        self.object(FormObject::Control { control, label: Some(label.as_bytes().to_vec()) })
    }
    /// A button with the standard rounded frame.
    pub fn button(self, id: u16, label: &str, bounds: impl Into<Rect4>) -> Self {
        self.control(id, BUTTON_CTL, label, bounds, ControlOptions::default())
    }
    /// A repeating button (`ctlRepeatEvent` instead of `ctlSelectEvent`).
    pub fn repeat_button(self, id: u16, label: &str, bounds: impl Into<Rect4>) -> Self {
        self.control(id, REPEATING_BUTTON_CTL, label, bounds, ControlOptions::default())
    }
    /// A push button in `group` (0 = a push button of its own that toggles).
    pub fn push_button(self, id: u16, label: &str, bounds: impl Into<Rect4>, group: u8) -> Self {
        self.control(id, PUSH_BUTTON_CTL, label, bounds, ControlOptions { group, ..Default::default() })
    }
    /// A check box, initially `on` or off.
    pub fn checkbox(self, id: u16, label: &str, bounds: impl Into<Rect4>, on: bool) -> Self {
        self.control(id, CHECKBOX_CTL, label, bounds, ControlOptions { on, frame: NO_BUTTON_FRAME, ..Default::default() })
    }
    /// A popup trigger (pair it with a list and [`popup`](Self::popup)).
    pub fn popup_trigger(self, id: u16, label: &str, bounds: impl Into<Rect4>) -> Self {
        self.control(id, POPUP_TRIGGER_CTL, label, bounds, ControlOptions { frame: NO_BUTTON_FRAME, ..Default::default() })
    }
    /// A selector trigger.
    pub fn selector_trigger(self, id: u16, label: &str, bounds: impl Into<Rect4>) -> Self {
        self.control(id, SELECTOR_TRIGGER_CTL, label, bounds, ControlOptions::default())
    }
    /// A graphical button showing `Tbmp` `bitmap_id` (`selected_bitmap_id` while pressed).
    pub fn graphic_button(self, id: u16, bitmap_id: u16, selected_bitmap_id: u16, bounds: impl Into<Rect4>) -> Self {
        let o = ControlOptions { frame: NO_BUTTON_FRAME, ..Default::default() };
        let text = (bitmap_id as u32) << 16 | selected_bitmap_id as u32;
        let control = ControlType { id, bounds: bounds.into().0, text, attr: control_attr(&o, true), style: BUTTON_CTL, font: 0, group: 0 };
        self.object(FormObject::Control { control, label: None })
    }

    /// A label in `stdFont` at (`x`, `y`) (the top left of its text; `\n` starts a new line).
    pub fn label(self, id: u16, text: &str, x: i16, y: i16) -> Self {
        self.label_with_font(id, text, x, y, STD_FONT)
    }
    pub fn label_with_font(self, id: u16, text: &str, x: i16, y: i16, font: u8) -> Self {
        let label = FormLabelType { id, pos: PointType::new(x, y), attr: FORM_OBJ_ATTR_USABLE, font_id: font, text: 0 };
        self.object(FormObject::Label { label, text: text.as_bytes().to_vec() })
    }

    /// A text field.
    pub fn field(self, id: u16, bounds: impl Into<Rect4>, o: FieldOptions) -> Self {
        let mut attr = FLD_ATTR_INS_PT_VISIBLE;
        set_bit16(&mut attr, FLD_ATTR_USABLE, o.usable);
        set_bit16(&mut attr, FLD_ATTR_EDITABLE, o.editable);
        set_bit16(&mut attr, FLD_ATTR_SINGLE_LINE, o.single_line);
        set_bit16(&mut attr, FLD_ATTR_DYNAMIC_SIZE, o.dynamic_size);
        set_bit16(&mut attr, FLD_ATTR_AUTO_SHIFT, o.auto_shift);
        set_bit16(&mut attr, FLD_ATTR_HAS_SCROLL_BAR, o.has_scroll_bar);
        set_bit16(&mut attr, FLD_ATTR_NUMERIC, o.numeric);
        if o.underlined {
            attr |= (GRAY_UNDERLINE as u16) << FLD_ATTR_UNDERLINED_SHIFT;
        }
        attr |= ((o.justification as u16) << FLD_ATTR_JUSTIFICATION_SHIFT) & FLD_ATTR_JUSTIFICATION_MASK;
        let field = FieldType { id, rect: bounds.into().0, attr, max_chars: o.max_chars, font_id: o.font, ..Default::default() };
        self.object(FormObject::Field(field))
    }

    /// A list showing `items` in `stdFont`, nothing selected.
    pub fn list(self, id: u16, bounds: impl Into<Rect4>, items: &[&str]) -> Self {
        self.list_with(id, bounds, items, STD_FONT, true)
    }
    /// A list; `usable: false` for the list of a popup trigger (shown only when popped up).
    pub fn list_with(self, id: u16, bounds: impl Into<Rect4>, items: &[&str], font: u8, usable: bool) -> Self {
        let mut attr = LST_ATTR_ENABLED;
        set_bit16(&mut attr, LST_ATTR_USABLE, usable);
        let list = ListType { id, bounds: bounds.into().0, attr, num_items: items.len() as i16, current_item: NO_LIST_SELECTION, font, ..Default::default() };
        self.object(FormObject::List { list, items: items.iter().map(|s| s.as_bytes().to_vec()).collect() })
    }
    /// Links a popup trigger to the list it pops up.
    pub fn popup(self, control_id: u16, list_id: u16) -> Self {
        self.object(FormObject::Popup { control_id, list_id })
    }
    /// A form bitmap: `Tbmp` `rsc_id` drawn at (`x`, `y`).
    pub fn bitmap(self, rsc_id: u16, x: i16, y: i16) -> Self {
        self.object(FormObject::Bitmap(FormBitmapType { attr: FORM_OBJ_ATTR_USABLE, pos: PointType::new(x, y), rsc_id }))
    }
    /// A gadget (an area the application draws and handles itself).
    pub fn gadget(self, id: u16, bounds: impl Into<Rect4>) -> Self {
        self.object(FormObject::Gadget { id, attr: GADGET_ATTR_USABLE, rect: bounds.into().0 })
    }
    /// A Graffiti shift indicator.
    pub fn graffiti_state(self, x: i16, y: i16) -> Self {
        self.object(FormObject::GraffitiState { pos: PointType::new(x, y) })
    }

    /// The model (for inspection and round-trip tests).
    pub fn model(&self) -> &FormResource {
        &self.form
    }
    /// The `tFRM` bytes.
    pub fn build(&self) -> Vec<u8> {
        self.form.to_bytes()
    }
    /// The form as a resource entry of a `.prc` (`tFRM`, the form ID).
    pub fn resource(&self) -> ResourceEntry {
        ResourceEntry { kind: FORM_RSC_TYPE, id: self.form.form_id, data: self.build() }
    }
}

fn set_bit16(v: &mut u16, bit: u16, on: bool) {
    if on { *v |= bit } else { *v &= !bit }
}
fn set_bit32(v: &mut u32, bit: u32, on: bool) {
    if on { *v |= bit } else { *v &= !bit }
}

fn control_attr(o: &ControlOptions, graphical: bool) -> u16 {
    let mut attr = ((o.frame as u16) << CTL_ATTR_FRAME_SHIFT) & CTL_ATTR_FRAME_MASK;
    set_bit16(&mut attr, CTL_ATTR_USABLE, o.usable);
    set_bit16(&mut attr, CTL_ATTR_ENABLED, o.enabled);
    set_bit16(&mut attr, CTL_ATTR_ON, o.on);
    set_bit16(&mut attr, CTL_ATTR_LEFT_ANCHOR, o.left_anchor);
    set_bit16(&mut attr, CTL_ATTR_GRAPHICAL, graphical);
    attr
}

/// Builds a `Talt` resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertBuilder {
    alert: AlertResource,
}

impl AlertBuilder {
    /// An alert of `alert_type` (`INFORMATION_ALERT` .. `ERROR_ALERT`); add buttons with
    /// [`button`](Self::button) (at least one).
    pub fn new(alert_type: u16, title: &str, message: &str) -> Self {
        Self { alert: AlertResource { alert_type, title: title.as_bytes().to_vec(), message: message.as_bytes().to_vec(), ..Default::default() } }
    }
    pub fn button(mut self, label: &str) -> Self {
        self.alert.buttons.push(label.as_bytes().to_vec());
        self
    }
    /// Index of the button chosen when the alert is dismissed without a tap.
    pub fn default_button(mut self, index: u16) -> Self {
        self.alert.default_button = index;
        self
    }
    pub fn help(mut self, string_id: u16) -> Self {
        self.alert.help_rsc_id = string_id;
        self
    }
    pub fn model(&self) -> &AlertResource {
        &self.alert
    }
    pub fn build(&self) -> Vec<u8> {
        self.alert.to_bytes()
    }
    /// The alert as a resource entry (`Talt`, `id`).
    pub fn resource(&self, id: u16) -> ResourceEntry {
        ResourceEntry { kind: ALERT_RSC_TYPE, id, data: self.build() }
    }
}

/// A `tSTR` resource entry.
pub fn string_resource(id: u16, text: &str) -> ResourceEntry {
    ResourceEntry { kind: STR_RSC_TYPE, id, data: super::resource::string_bytes(text) }
}
