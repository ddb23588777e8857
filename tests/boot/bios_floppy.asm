; A 1.44 MB floppy image for tests/integration/boot_bios.sh (nasm -f bin): booted through El
; Torito floppy emulation, its boot sector reads the image's last sector (cylinder 79, head
; 1, sector 18) back through INT 13h AH=02h from the emulated drive and checks the marker
; placed there, so the whole image, not only its first sector, is what the BIOS emulates.
; It writes to COM1 and ends the VM through isa-debug-exit at port F4h: exit status 33
; when the check passed, 35 otherwise (serial.inc).
%include "last_sector.inc"
bits 16
org 0x7C00

BUF equ 0x0600

start:
	cli
	xor ax, ax
	mov ds, ax
	mov es, ax
	mov ss, ax
	mov sp, 0x7C00
	jmp 0:norm              ; whatever CS:IP the BIOS used
norm:
	sti
	mov [drive], dl
	mov si, msg_hello
	call puts
	mov si, msg_drive
	call puts
	mov al, [drive]
	mov cx, 2
	call put_hex
	mov si, msg_crlf
	call puts

	check_last_sector 0, 79, 18, 1 ; floppy emulation: drive 00h, the last sector at C 79 H 1 S 18

%include "serial.inc"

drive:      db 0
msg_hello:  db "discmaster floppy payload", 13, 10, 0
msg_drive:  db "drive=", 0
msg_ok:     db "FLOPPY OK", 13, 10, 0
msg_fail:   db "FLOPPY FAIL: ", 0
err_drive:  db "not booted as drive 00h", 0
err_read:   db "INT 13h AH=02h failed on the last sector", 0
err_marker: db "the last sector does not hold the marker", 0
marker:     db "discmaster last sector of the floppy"
marker_len  equ $ - marker

	times 510 - ($ - $$) db 0
	dw 0xAA55
	times 1474560 - 512 - ($ - $$) db 0
	db "discmaster last sector of the floppy"
	times 1474560 - ($ - $$) db 0
