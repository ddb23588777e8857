; MBR boot code for tests/integration/boot_hybrid.sh (nasm -f bin -i tests/boot/): given to
; `mkimage --hybrid-mbr`, whose image keeps its first 432 bytes (the code) and writes the
; rest of the MBR: at byte 432 the 512-byte LBA of the El Torito BIOS image (64 bits,
; little-endian, the isohybrid convention), the disk signature, the partition table, 55 AA.
; SeaBIOS runs it when it boots the image as a HARD DISK. It checks what it was given, not
; only that it runs (each failure message, after "FAIL: ", in parentheses):
;   - DL, the drive the BIOS passed, is a hard disk, 80h and up ("DL<80h");
;   - INT 13h extensions (EDD) are there: AH=41h sets BX to AA55h and bit 0 of CX, the
;     packet interface ("no EDD");
;   - the 512-byte sector at the LBA at byte 432, read through AH=42h from drive DL ("read
;     boot image"), is the start of tests/boot/bios_noemul.asm: its signature at byte 64
;     (signature.inc; "no signature"), and its boot info table (mkimage --boot-info-table)
;     gives its 2048-byte LBA, which times 4 must be that LBA ("info table LBA");
;   - 512-byte sector 64 ("read PVD") is the primary volume descriptor, 2048-byte sector 16:
;     type 1, "CD001" ("no PVD").
; It writes one line to COM1: "hybrid mbr: boot image at 512-LBA 0xN ok, PVD ok" (N in
; hexadecimal, 8 digits) and ends the VM through isa-debug-exit with exit status 33; a
; failed check ends the line with "FAIL: " and the check, exit status 35 (serial.inc).
; The code fills bytes 0-423 at most: 424-431 are the start of the INT 13h disk address
; packet whose LBA field is mkimage's bytes 432-439 (see `dap` at the end).
bits 16
org 0x7C00

BUF     equ 0x0600              ; one 512-byte sector read back
LBA     equ 0x7C00 + 432        ; written by mkimage: the BIOS image's 512-byte LBA

start:                          ; (only relative jumps and calls: CS may be 0 or 7C0h)
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax              ; (no interrupt until the next instruction is done)
	mov sp, 0x7C00
	cld
	mov si, msg_hello       ; "hybrid mbr: ", then what was found
	call puts               ; (DL, the BIOS drive, is kept from here on)

	mov si, err_drive
	cmp dl, 0x80
	jb fail

	mov ah, 0x41            ; INT 13h extensions installation check
	mov bx, 0x55AA
	int 0x13
	mov si, err_ext
	jc fail
	cmp bx, 0xAA55
	jne fail
	test cl, 1              ; the fixed disk access subset: AH=42h
	jz fail

	; the El Torito BIOS image: its first 512 bytes, at the LBA mkimage wrote
	mov si, dap
	mov ah, 0x42
	int 0x13
	mov si, err_read_boot
	jc fail
	mov si, signature
	mov di, BUF + 64
	mov cx, signature_len
	repe cmpsb
	mov si, err_signature
	jne fail
	mov si, err_table       ; its boot info table's LBA (2048-byte sectors) times 4
	mov eax, [BUF + 12]
	shl eax, 2
	jc fail
	cmp eax, [LBA]
	jne fail
	cmp dword [LBA + 4], 0
	jne fail
	call put_lba

	; the primary volume descriptor: 2048-byte sector 16
	mov dword [LBA], 64
	mov si, dap
	mov ah, 0x42
	int 0x13
	mov si, err_read_pvd
	jc fail
	mov si, pvd_id
	mov di, BUF
	mov cx, pvd_id_len
	repe cmpsb
	mov si, err_pvd
	jne fail
	jmp pass

%include "serial.inc"          ; (right after the checks: short jumps to fail)

put_lba:                        ; "boot image at 512-LBA 0x", EAX, " ok, "
	push eax
	mov si, msg_at
	call puts
	pop eax
	mov cx, 8
	call put_hex
	mov si, msg_at_ok
	jmp puts

%include "signature.inc"

pvd_id:         db 1, "CD001"
pvd_id_len      equ $ - pvd_id
msg_hello:      db "hybrid mbr: ", 0
msg_at:         db "boot image at 512-LBA 0x", 0
msg_at_ok:      db " ok, ", 0
msg_ok:         db "PVD ok", 13, 10, 0
msg_fail:       db "FAIL: ", 0
err_drive:      db "DL<80h", 0
err_ext:        db "no EDD", 0
err_read_boot:  db "read boot image", 0
err_signature:  db "no signature", 0
err_table:      db "info table LBA", 0
err_read_pvd:   db "read PVD", 0
err_pvd:        db "no PVD", 0
signature:      db BIOS_SIGNATURE
signature_len   equ $ - signature

%if $ - $$ > 424
%error "the MBR code is over 424 bytes"
%endif
	times 424 - ($ - $$) db 0
; INT 13h AH=42h disk address packet: bytes 424-439 as the BIOS loaded this sector, so that
; its LBA field is the 64-bit LBA mkimage wrote at byte 432.
dap:	db 16, 0                ; packet size
	dw 1                    ; sectors
	dw BUF, 0               ; buffer: offset, segment
%if $ - $$ != 432
%error "the packet's LBA field is not at byte 432"
%endif
