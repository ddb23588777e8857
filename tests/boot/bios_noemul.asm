; A no-emulation El Torito boot image for tests/integration/boot_bios.sh (nasm -f bin).
; It checks what it was given, not only that it runs: the boot info table that mkimage
; patched in at byte 8 (the primary volume descriptor's LBA, its own LBA, length and
; checksum) against the disc itself, read back through INT 13h AH=42h, and the catalog
; entry the BIOS reports (INT 13h AX=4B01h: the image's LBA and the sector count, 4). It
; writes its findings to COM1 and ends the VM through isa-debug-exit at port F4h: exit
; status 33 (10h) when every check passed, 35 (11h) otherwise (serial.inc).
; Byte 64 holds a signature, BIOS_SIGNATURE: tests/boot/hybrid_mbr.asm, booted from the same
; image as a hard disk, reads this image's first 512 bytes and looks for it there.
bits 16
org 0

BUF     equ 0x0800              ; one 2048-byte sector read back, after the image
DAP     equ 0x1000              ; disk address packet (INT 13h AH=42h)
SPEC    equ 0x1010              ; specification packet (INT 13h AX=4B01h)
DRIVE   equ 0x1030
COUNT   equ 4                   ; the load size the catalog must hold (mkimage's default)

	jmp short start
	times 8 - ($ - $$) db 0
bi_pvd:    dd 0
bi_file:   dd 0
bi_length: dd 0
bi_csum:   dd 0
	times 64 - ($ - $$) db 0
%include "signature.inc"
signature: db BIOS_SIGNATURE    ; at byte 64, after the table (hybrid_mbr.asm checks it)

start:
	cli
	jmp 0x07C0:norm         ; whatever CS:IP the BIOS used, address from 7C0h:0
norm:
	mov ax, cs
	mov ds, ax
	mov es, ax
	xor ax, ax
	mov ss, ax
	mov sp, 0x7000
	sti
	mov [DRIVE], dl
	call serial_init
	mov si, msg_hello
	call puts

	; the table as given
	mov si, msg_pvd
	mov eax, [bi_pvd]
	call put_field
	mov si, msg_file
	mov eax, [bi_file]
	call put_field
	mov si, msg_len
	mov eax, [bi_length]
	call put_field
	mov si, msg_csum
	mov eax, [bi_csum]
	call put_field
	mov si, msg_crlf
	call puts

	; bi_length: this image is one 2048-byte sector
	mov si, err_len
	cmp dword [bi_length], 2048
	jne fail

	; bi_csum: the sum of the dwords from byte 64 to the end
	xor ebx, ebx
	mov si, 64
.sum:	add ebx, [si]
	add si, 4
	cmp si, 2048
	jb .sum
	mov si, err_csum
	cmp ebx, [bi_csum]
	jne fail

	; bi_pvd: that sector of the disc is a primary volume descriptor
	mov eax, [bi_pvd]
	call read_sector
	mov si, err_read
	jc fail
	mov si, err_pvd
	cmp byte [BUF], 1
	jne fail
	cmp dword [BUF + 1], 'CD00'
	jne fail
	cmp byte [BUF + 5], '1'
	jne fail

	; bi_file: that sector of the disc is this image, byte for byte
	mov eax, [bi_file]
	call read_sector
	mov si, err_read
	jc fail
	xor si, si
	mov di, BUF
	mov cx, 2048 / 4
	cld
	repe cmpsd
	mov si, err_file
	jne fail

	; the catalog entry the BIOS booted: the same LBA, and the load size
	mov byte [SPEC], 0x13
	mov ax, 0x4B01
	mov dl, [DRIVE]
	mov si, SPEC
	int 0x13
	mov si, err_spec
	jc fail
	mov si, msg_count
	movzx eax, word [SPEC + 14]
	call put_field
	mov si, msg_crlf
	call puts
	mov si, err_spec_lba
	mov eax, [SPEC + 4]
	cmp eax, [bi_file]
	jne fail
	mov si, err_count
	cmp word [SPEC + 14], COUNT
	jne fail

	jmp pass

; Read the 2048-byte sector EAX of the boot drive into BUF; CF on error.
read_sector:
	mov word [DAP], 0x0010
	mov word [DAP + 2], 1
	mov word [DAP + 4], BUF
	mov [DAP + 6], cs
	mov [DAP + 8], eax
	mov dword [DAP + 12], 0
	mov ah, 0x42
	mov dl, [DRIVE]
	mov si, DAP
	int 0x13
	ret

serial_init:                    ; COM1: 115200 8N1
	mov dx, 0x3F9
	xor al, al
	out dx, al
	mov dx, 0x3FB
	mov al, 0x80
	out dx, al
	mov dx, 0x3F8
	mov al, 1
	out dx, al
	mov dx, 0x3F9
	xor al, al
	out dx, al
	mov dx, 0x3FB
	mov al, 3
	out dx, al
	ret

put_field:                      ; the string at SI, then EAX in hexadecimal
	push eax
	call puts
	pop eax
	mov cx, 8
	jmp put_hex

%include "serial.inc"

msg_hello:    db "discmaster bios payload", 13, 10, 0
msg_pvd:      db "table pvd=", 0
msg_file:     db " file=", 0
msg_len:      db " length=", 0
msg_csum:     db " checksum=", 0
msg_count:    db "bios count=", 0
msg_ok:       db "BOOT OK", 13, 10, 0
msg_fail:     db "BOOT FAIL: ", 0
err_len:      db "boot info table length is not 2048", 0
err_csum:     db "boot info table checksum does not match the image", 0
err_read:     db "INT 13h AH=42h read failed", 0
err_pvd:      db "the table's PVD LBA holds no primary volume descriptor", 0
err_file:     db "the table's file LBA does not hold this image", 0
err_spec:     db "INT 13h AX=4B01h failed", 0
err_spec_lba: db "the BIOS booted another LBA than the table says", 0
err_count:    db "the catalog's sector count is not 4", 0

	times 2048 - ($ - $$) db 0
