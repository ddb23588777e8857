; A hard-disk image for tests/integration/boot_bios.sh (nasm -f bin): 2 cylinders of 16
; heads of 63 sectors, an MBR with one partition (type 0Ch, sectors 63 to the end; its end
; CHS gives the emulated geometry). Booted through El Torito hard-disk emulation, its boot
; code checks it is drive 80h and reads the image's last sector (cylinder 1, head 15,
; sector 63) back through INT 13h AH=02h and checks the marker placed there.
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

	check_last_sector 0x80, 1, 63, 15 ; hard-disk emulation: drive 80h, the last sector at C 1 H 15 S 63

%include "serial.inc"

drive:      db 0
msg_hello:  db "discmaster hard-disk payload", 13, 10, 0
msg_drive:  db "drive=", 0
msg_ok:     db "HDD OK", 13, 10, 0
msg_fail:   db "HDD FAIL: ", 0
err_drive:  db "not booted as drive 80h", 0
err_read:   db "INT 13h AH=02h failed on the last sector", 0
err_marker: db "the last sector does not hold the marker", 0
marker:     db "discmaster last sector of the disk"
marker_len  equ $ - marker

SIZE equ 2 * 16 * 63 * 512

	times 446 - ($ - $$) db 0
	db 0x80, 1, 1, 0        ; active; start head 1, sector 1, cylinder 0
	db 0x0C                 ; type: FAT32 (LBA)
	db 15, 63, 1            ; end head 15, sector 63, cylinder 1
	dd 63, SIZE / 512 - 63  ; first sector, sectors
	times 510 - ($ - $$) db 0
	dw 0xAA55
	times SIZE - 512 - ($ - $$) db 0
	db "discmaster last sector of the disk"
	times SIZE - ($ - $$) db 0
