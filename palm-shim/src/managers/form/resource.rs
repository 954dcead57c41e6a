//! The UI resource formats the Form Manager reads, as host models with a parser and a writer:
//! `tFRM` (forms: [`FormResource`]), `Talt` (alerts: [`AlertResource`]) and `tSTR`
//! (strings: [`parse_string`]). The parser validates everything against the resource's length
//! and never panics on arbitrary bytes; the writer produces exactly the layout PilRC emits, so
//! `FormResource::parse(&f.to_bytes()) == Ok(f)` for every well-formed model.
//!
//! # `tFRM` layout (all big-endian)
//!
//! | offset | size | content |
//! |---|---|---|
//! | 0 | 40 | `WindowType` image: `windowFlags` @8, `windowBounds` @10, `frameType` @30; display fields, clip and pointers zero |
//! | 40 | 28 | the `FormType` tail: `formId`, `attr`, `bitsBehindForm` (0), `handler` (0), `focus` (0), `defaultButton`, `helpRscId`, `menuRscId`, `numObjects`, `objects` (0 = the list follows at 68) |
//! | 68 | 6 x n | `FormObjListType` entries: `objectType` u8, reserved u8, offset u32 of the body |
//! | ... | | bodies, each at an even offset: the object's structure with every pointer zero, then its text |
//!
//! Texts follow their structure (which has even size): controls (unless graphical or a
//! slider), labels and titles carry one NUL-terminated string; a list is followed by
//! `numItems` zero longs (the future `itemsText` array) and the item strings back to back.
//! Every body is padded to an even length. Sources: PilRC's `DumpForm`/`CbEmitStruct` and its
//! structure pictures (`pilrc.h`), the SDK 3.5 headers (`Form.h`, `Control.h`, `Field.h`,
//! `List.h`, `ScrollBar.h`), and PumpkinOS's form loader, which reads the same bytes.
//!
//! # `Talt`
//! `AlertTemplateType` (alertType, helpRscID, numButtons, defaultButton; 8 bytes), then the
//! title, the message and the button labels, NUL-terminated and back to back (PilRC
//! `ParseDumpAlert`). `tSTR` is one NUL-terminated string.

use palm_abi::ui_layout::*;
use thiserror::Error;

/// Offset of the object list when a resource's `objects` field is 0 (it follows the form).
pub const OBJECT_LIST_OFFSET: u32 = FormType::LEN;
/// Longest text (label, title, list item, alert string) accepted from a resource.
pub const MAX_RESOURCE_TEXT: usize = 0x7FFF;
/// Most buttons an alert may have.
pub const MAX_ALERT_BUTTONS: usize = 8;

/// Why a resource could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ResourceError {
    #[error("resource is {len} bytes, too short for {what} at offset {offset}")]
    Truncated { what: &'static str, offset: u32, len: u32 },
    #[error("object {index} has unknown type {kind}")]
    UnknownObjectType { index: usize, kind: u8 },
    #[error("text of {what} at offset {offset} is not NUL-terminated within the resource")]
    UnterminatedText { what: &'static str, offset: u32 },
    #[error("object {index} at odd offset {offset}")]
    OddOffset { index: usize, offset: u32 },
    #[error("alert has {0} buttons (1..={MAX_ALERT_BUTTONS} allowed)")]
    BadButtonCount(u16),
    #[error("{what} is longer than {MAX_RESOURCE_TEXT} bytes")]
    TextTooLong { what: &'static str },
}

/// One form object as a resource describes it. Pointer fields inside the structures are
/// ignored when writing (always written as 0) and kept as read when parsing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormObject {
    Field(FieldType),
    /// A control and its label (`None` for graphical controls, whose `text` field holds
    /// their bitmap IDs).
    Control { control: ControlType, label: Option<Vec<u8>> },
    /// A slider (`SliderControlType`, 30 bytes), kept raw; its kind is `frmControlObj`.
    Slider { raw: [u8; slider_control::LEN as usize] },
    List { list: ListType, items: Vec<Vec<u8>> },
    /// Tables are kept as their raw bytes (the Form Manager does not implement them).
    Table { id: u16, bounds: RectangleType, raw: Vec<u8> },
    Bitmap(FormBitmapType),
    Line { attr: u16, point1: PointType, point2: PointType },
    Frame { id: u16, attr: u16, rect: RectangleType, frame_type: u16 },
    Rectangle { attr: u16, rect: RectangleType },
    Label { label: FormLabelType, text: Vec<u8> },
    Title { rect: RectangleType, text: Vec<u8> },
    Popup { control_id: u16, list_id: u16 },
    GraffitiState { pos: PointType },
    Gadget { id: u16, attr: u16, rect: RectangleType },
    ScrollBar { raw: [u8; scroll_bar::LEN as usize] },
}

impl FormObject {
    /// The `FormObjectKind` byte.
    pub fn kind(&self) -> u8 {
        match self {
            FormObject::Field(_) => FRM_FIELD_OBJ,
            FormObject::Control { .. } | FormObject::Slider { .. } => FRM_CONTROL_OBJ,
            FormObject::List { .. } => FRM_LIST_OBJ,
            FormObject::Table { .. } => FRM_TABLE_OBJ,
            FormObject::Bitmap(_) => FRM_BITMAP_OBJ,
            FormObject::Line { .. } => FRM_LINE_OBJ,
            FormObject::Frame { .. } => FRM_FRAME_OBJ,
            FormObject::Rectangle { .. } => FRM_RECTANGLE_OBJ,
            FormObject::Label { .. } => FRM_LABEL_OBJ,
            FormObject::Title { .. } => FRM_TITLE_OBJ,
            FormObject::Popup { .. } => FRM_POPUP_OBJ,
            FormObject::GraffitiState { .. } => FRM_GRAFFITI_STATE_OBJ,
            FormObject::Gadget { .. } => FRM_GADGET_OBJ,
            FormObject::ScrollBar { .. } => FRM_SCROLL_BAR_OBJ,
        }
    }
}

/// A `tFRM` resource.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FormResource {
    pub form_id: u16,
    /// `windowFlags` (`WIN_FLAG_*`; PilRC sets focusable and dialog, plus modal).
    pub window_flags: u16,
    pub bounds: RectangleType,
    /// The window's `FrameBitsType` word.
    pub frame_type: u16,
    /// `FormAttrType` (`FORM_ATTR_*`).
    pub attr: u32,
    pub default_button: u16,
    pub help_rsc_id: u16,
    pub menu_rsc_id: u16,
    pub objects: Vec<FormObject>,
}

/// Where the pointers of one object have to point once the resource is in memory: offsets
/// from the start of the resource.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectLayout {
    pub kind: u8,
    pub offset: u32,
    /// Offset of the object's text (controls, labels, titles).
    pub text: Option<u32>,
    /// Offset of a list's `itemsText` array and of each item string.
    pub list_items: Option<(u32, Vec<u32>)>,
}

/// A parsed `tFRM` and the offsets the loader needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedForm {
    pub form: FormResource,
    /// Offset of the object list.
    pub objects_offset: u32,
    pub layout: Vec<ObjectLayout>,
}

/// Bounds-checked big-endian reads from a resource.
struct Reader<'a> {
    b: &'a [u8],
}

impl<'a> Reader<'a> {
    fn len(&self) -> u32 {
        self.b.len() as u32
    }
    fn bytes(&self, off: u32, n: u32, what: &'static str) -> Result<&'a [u8], ResourceError> {
        let end = off.checked_add(n).filter(|&e| e <= self.len());
        match end {
            Some(e) => Ok(&self.b[off as usize..e as usize]),
            None => Err(ResourceError::Truncated { what, offset: off, len: self.len() }),
        }
    }
    fn array<const N: usize>(&self, off: u32, what: &'static str) -> Result<[u8; N], ResourceError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.bytes(off, N as u32, what)?);
        Ok(a)
    }
    fn u16(&self, off: u32, what: &'static str) -> Result<u16, ResourceError> {
        let b = self.bytes(off, 2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn rect(&self, off: u32, what: &'static str) -> Result<RectangleType, ResourceError> {
        Ok(RectangleType::decode(&self.array::<8>(off, what)?))
    }
    fn point(&self, off: u32, what: &'static str) -> Result<PointType, ResourceError> {
        Ok(PointType::decode(&self.array::<4>(off, what)?))
    }
    /// The NUL-terminated string at `off` (without the NUL) and the offset after its NUL.
    fn cstr(&self, off: u32, what: &'static str) -> Result<(Vec<u8>, u32), ResourceError> {
        let rest = self.b.get(off as usize..).ok_or(ResourceError::Truncated { what, offset: off, len: self.len() })?;
        let n = rest.iter().position(|&c| c == 0).ok_or(ResourceError::UnterminatedText { what, offset: off })?;
        if n > MAX_RESOURCE_TEXT {
            return Err(ResourceError::TextTooLong { what });
        }
        Ok((rest[..n].to_vec(), off + n as u32 + 1))
    }
}

impl FormResource {
    /// Parses and validates a `tFRM` resource.
    pub fn parse(bytes: &[u8]) -> Result<FormResource, ResourceError> {
        parse_form(bytes).map(|p| p.form)
    }

    /// The resource bytes, laid out as PilRC writes them.
    pub fn to_bytes(&self) -> Vec<u8> {
        let n = self.objects.len();
        let mut out = Vec::new();
        let window = WindowType { flags: self.window_flags, bounds: self.bounds, frame_type: self.frame_type, ..Default::default() };
        let form = FormType {
            window,
            form_id: self.form_id,
            attr: self.attr,
            default_button: self.default_button,
            help_rsc_id: self.help_rsc_id,
            menu_rsc_id: self.menu_rsc_id,
            num_objects: n as u16,
            ..Default::default()
        };
        out.extend_from_slice(&form.encode());
        let bodies: Vec<Vec<u8>> = self.objects.iter().map(object_body).collect();
        let mut offset = out.len() as u32 + FormObjListType::LEN * n as u32;
        for (o, body) in self.objects.iter().zip(&bodies) {
            out.extend_from_slice(&FormObjListType { object_type: o.kind(), object: offset }.encode());
            offset += body.len() as u32;
        }
        for body in &bodies {
            out.extend_from_slice(body);
        }
        out
    }
}

/// One object's body as written: the structure with zero pointers, its text, even padding.
fn object_body(o: &FormObject) -> Vec<u8> {
    let mut b = Vec::new();
    let text = |b: &mut Vec<u8>, t: &[u8]| {
        b.extend_from_slice(t);
        b.push(0);
    };
    match o {
        FormObject::Field(f) => b.extend_from_slice(&FieldType { text: 0, text_handle: 0, lines: 0, ..*f }.encode()),
        FormObject::Control { control, label } => {
            // A text control's `text` is a pointer (written as 0); a graphical control's
            // holds its bitmap IDs.
            let field = if label.is_some() { 0 } else { control.text };
            b.extend_from_slice(&ControlType { text: field, ..*control }.encode());
            if let Some(l) = label {
                text(&mut b, l);
            }
        }
        FormObject::Slider { raw } => b.extend_from_slice(raw),
        FormObject::List { list, items } => {
            let l = ListType { items_text: 0, num_items: items.len() as i16, popup_win: 0, draw_items_callback: 0, ..*list };
            b.extend_from_slice(&l.encode());
            b.resize(b.len() + 4 * items.len(), 0);
            for i in items {
                text(&mut b, i);
            }
        }
        FormObject::Table { raw, .. } => b.extend_from_slice(raw),
        FormObject::Bitmap(bm) => b.extend_from_slice(&bm.encode()),
        FormObject::Line { attr, point1, point2 } => {
            b.extend_from_slice(&attr.to_be_bytes());
            b.extend_from_slice(&point1.encode());
            b.extend_from_slice(&point2.encode());
        }
        FormObject::Frame { id, attr, rect, frame_type } => {
            b.extend_from_slice(&id.to_be_bytes());
            b.extend_from_slice(&attr.to_be_bytes());
            b.extend_from_slice(&rect.encode());
            b.extend_from_slice(&frame_type.to_be_bytes());
        }
        FormObject::Rectangle { attr, rect } => {
            b.extend_from_slice(&attr.to_be_bytes());
            b.extend_from_slice(&rect.encode());
        }
        FormObject::Label { label, text: t } => {
            b.extend_from_slice(&FormLabelType { text: 0, ..*label }.encode());
            text(&mut b, t);
        }
        FormObject::Title { rect, text: t } => {
            b.extend_from_slice(&FormTitleType { rect: *rect, text: 0 }.encode());
            text(&mut b, t);
        }
        FormObject::Popup { control_id, list_id } => {
            b.extend_from_slice(&control_id.to_be_bytes());
            b.extend_from_slice(&list_id.to_be_bytes());
        }
        FormObject::GraffitiState { pos } => b.extend_from_slice(&pos.encode()),
        FormObject::Gadget { id, attr, rect } => {
            b.extend_from_slice(&id.to_be_bytes());
            b.extend_from_slice(&attr.to_be_bytes());
            b.extend_from_slice(&rect.encode());
            b.resize(b.len() + 8, 0);
        }
        FormObject::ScrollBar { raw } => b.extend_from_slice(raw),
    }
    if b.len() % 2 == 1 {
        b.push(0);
    }
    b
}

/// Whether a control is a slider (`SliderControlType`, no label).
pub fn is_slider(control: &ControlType) -> bool {
    matches!(control.style, SLIDER_CTL | FEEDBACK_SLIDER_CTL)
}

/// Parses a `tFRM` resource, keeping the offsets the loader turns into pointers.
pub fn parse_form(bytes: &[u8]) -> Result<ParsedForm, ResourceError> {
    let r = Reader { b: bytes };
    let head = FormType::decode(&r.array::<{ FormType::LEN as usize }>(0, "the form header")?);
    let objects_offset = if head.objects == 0 { OBJECT_LIST_OFFSET } else { head.objects };
    let n = head.num_objects as u32;
    r.bytes(objects_offset, n * FormObjListType::LEN, "the object list")?;
    let mut objects = Vec::with_capacity(n as usize);
    let mut layout = Vec::with_capacity(n as usize);
    for i in 0..n {
        let entry = FormObjListType::decode(&r.array::<{ FormObjListType::LEN as usize }>(objects_offset + i * FormObjListType::LEN, "the object list")?);
        let off = entry.object;
        if off % 2 == 1 {
            return Err(ResourceError::OddOffset { index: i as usize, offset: off });
        }
        let mut lay = ObjectLayout { kind: entry.object_type, offset: off, ..Default::default() };
        let object = match entry.object_type {
            FRM_FIELD_OBJ => FormObject::Field(FieldType::decode(&r.array::<{ FieldType::LEN as usize }>(off, "a field")?)),
            FRM_CONTROL_OBJ => {
                let control = ControlType::decode(&r.array::<{ ControlType::LEN as usize }>(off, "a control")?);
                if is_slider(&control) {
                    FormObject::Slider { raw: r.array::<{ slider_control::LEN as usize }>(off, "a slider")? }
                } else if control.has_attr(CTL_ATTR_GRAPHICAL) {
                    FormObject::Control { control, label: None }
                } else {
                    let (t, _) = r.cstr(off + ControlType::LEN, "a control label")?;
                    lay.text = Some(off + ControlType::LEN);
                    FormObject::Control { control, label: Some(t) }
                }
            }
            FRM_LIST_OBJ => {
                let list = ListType::decode(&r.array::<{ ListType::LEN as usize }>(off, "a list")?);
                let count = list.num_items.max(0) as u32;
                let array = off + ListType::LEN;
                let mut at = array + 4 * count;
                r.bytes(array, 4 * count, "a list's item array")?;
                let mut items = Vec::with_capacity(count as usize);
                let mut item_offsets = Vec::with_capacity(count as usize);
                for _ in 0..count {
                    let (t, next) = r.cstr(at, "a list item")?;
                    item_offsets.push(at);
                    items.push(t);
                    at = next;
                }
                lay.list_items = Some((array, item_offsets));
                FormObject::List { list, items }
            }
            FRM_TABLE_OBJ => {
                let cols = r.u16(off.saturating_add(12), "a table")? as u64;
                let rows = r.u16(off.saturating_add(14), "a table")? as u64;
                let len = table::MIN_LEN as u64 + 18 * cols + 12 * rows + 8 * cols * rows;
                let raw = r.bytes(off, len.min(u32::MAX as u64) as u32, "a table")?.to_vec();
                FormObject::Table { id: r.u16(off, "a table")?, bounds: r.rect(off + 2, "a table")?, raw }
            }
            FRM_BITMAP_OBJ => FormObject::Bitmap(FormBitmapType::decode(&r.array::<{ FormBitmapType::LEN as usize }>(off, "a form bitmap")?)),
            FRM_LINE_OBJ => FormObject::Line {
                attr: r.u16(off, "a line")?,
                point1: r.point(off + form_shapes::LINE_POINT1, "a line")?,
                point2: r.point(off + form_shapes::LINE_POINT2, "a line")?,
            },
            FRM_FRAME_OBJ => FormObject::Frame {
                id: r.u16(off, "a frame")?,
                attr: r.u16(off + form_shapes::FRAME_ATTR, "a frame")?,
                rect: r.rect(off + form_shapes::FRAME_RECT, "a frame")?,
                frame_type: r.u16(off + form_shapes::FRAME_FRAME_TYPE, "a frame")?,
            },
            FRM_RECTANGLE_OBJ => FormObject::Rectangle {
                attr: r.u16(off, "a rectangle")?,
                rect: r.rect(off + form_shapes::RECTANGLE_RECT, "a rectangle")?,
            },
            FRM_LABEL_OBJ => {
                let label = FormLabelType::decode(&r.array::<{ FormLabelType::LEN as usize }>(off, "a label")?);
                let (text, _) = r.cstr(off + FormLabelType::LEN, "a label")?;
                lay.text = Some(off + FormLabelType::LEN);
                FormObject::Label { label, text }
            }
            FRM_TITLE_OBJ => {
                let title = FormTitleType::decode(&r.array::<{ FormTitleType::LEN as usize }>(off, "a title")?);
                let (text, _) = r.cstr(off + FormTitleType::LEN, "a title")?;
                lay.text = Some(off + FormTitleType::LEN);
                FormObject::Title { rect: title.rect, text }
            }
            FRM_POPUP_OBJ => FormObject::Popup { control_id: r.u16(off, "a popup")?, list_id: r.u16(off + 2, "a popup")? },
            FRM_GRAFFITI_STATE_OBJ => FormObject::GraffitiState { pos: r.point(off, "a Graffiti state indicator")? },
            FRM_GADGET_OBJ => {
                r.bytes(off, form_gadget::LEN, "a gadget")?;
                FormObject::Gadget {
                    id: r.u16(off, "a gadget")?,
                    attr: r.u16(off + form_gadget::ATTR, "a gadget")?,
                    rect: r.rect(off + form_gadget::RECT, "a gadget")?,
                }
            }
            FRM_SCROLL_BAR_OBJ => FormObject::ScrollBar { raw: r.array::<{ scroll_bar::LEN as usize }>(off, "a scroll bar")? },
            kind => return Err(ResourceError::UnknownObjectType { index: i as usize, kind }),
        };
        objects.push(object);
        layout.push(lay);
    }
    let form = FormResource {
        form_id: head.form_id,
        window_flags: head.window.flags,
        bounds: head.window.bounds,
        frame_type: head.window.frame_type,
        attr: head.attr,
        default_button: head.default_button,
        help_rsc_id: head.help_rsc_id,
        menu_rsc_id: head.menu_rsc_id,
        objects,
    };
    Ok(ParsedForm { form, objects_offset, layout })
}

/// A `Talt` resource.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct AlertResource {
    /// `INFORMATION_ALERT`, `CONFIRMATION_ALERT`, `WARNING_ALERT` or `ERROR_ALERT`.
    pub alert_type: u16,
    pub help_rsc_id: u16,
    /// Index of the button chosen when the alert is dismissed without a tap.
    pub default_button: u16,
    pub title: Vec<u8>,
    /// The message; `^1`, `^2`, `^3` are replaced by `FrmCustomAlert`'s strings.
    pub message: Vec<u8>,
    pub buttons: Vec<Vec<u8>>,
}

impl AlertResource {
    /// Parses and validates a `Talt` resource (1..=8 buttons; a default button out of range
    /// becomes 0).
    pub fn parse(bytes: &[u8]) -> Result<AlertResource, ResourceError> {
        let r = Reader { b: bytes };
        let head = AlertTemplateType::decode(&r.array::<{ AlertTemplateType::LEN as usize }>(0, "the alert header")?);
        if head.num_buttons == 0 || head.num_buttons as usize > MAX_ALERT_BUTTONS {
            return Err(ResourceError::BadButtonCount(head.num_buttons));
        }
        let (title, at) = r.cstr(AlertTemplateType::LEN, "the alert title")?;
        let (message, mut at) = r.cstr(at, "the alert message")?;
        let mut buttons = Vec::new();
        for _ in 0..head.num_buttons {
            let (b, next) = r.cstr(at, "an alert button")?;
            buttons.push(b);
            at = next;
        }
        let default_button = if head.default_button < head.num_buttons { head.default_button } else { 0 };
        Ok(AlertResource { alert_type: head.alert_type, help_rsc_id: head.help_rsc_id, default_button, title, message, buttons })
    }

    /// The resource bytes (PilRC's layout: no padding between the strings).
    pub fn to_bytes(&self) -> Vec<u8> {
        let head = AlertTemplateType {
            alert_type: self.alert_type,
            help_rsc_id: self.help_rsc_id,
            num_buttons: self.buttons.len() as u16,
            default_button: self.default_button,
        };
        let mut out = head.encode().to_vec();
        for s in [&self.title, &self.message].into_iter().chain(self.buttons.iter()) {
            out.extend_from_slice(s);
            out.push(0);
        }
        out
    }
}

/// A `tSTR` resource: the string up to its NUL (or the whole resource if it has none).
pub fn parse_string(bytes: &[u8]) -> Vec<u8> {
    let n = bytes.iter().position(|&c| c == 0).unwrap_or(bytes.len());
    bytes[..n.min(MAX_RESOURCE_TEXT)].to_vec()
}

/// A `tSTR` resource's bytes.
pub fn string_bytes(text: &str) -> Vec<u8> {
    let mut v = text.as_bytes().to_vec();
    v.push(0);
    v
}

/// `message` with `^1`, `^2`, `^3` replaced by the three strings (`FrmCustomAlert`).
pub fn substitute(message: &[u8], args: [&[u8]; 3]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut i = 0;
    while i < message.len() {
        if message[i] == b'^' && i + 1 < message.len() && (b'1'..=b'3').contains(&message[i + 1]) {
            out.extend_from_slice(args[(message[i + 1] - b'1') as usize]);
            i += 2;
        } else {
            out.push(message[i]);
            i += 1;
        }
    }
    out
}
