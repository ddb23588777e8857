/* A UEFI application for tests/integration/boot_uefi.sh (gnu-efi): it prints the device
 * path it was loaded from, so the test can tell a boot through the El Torito catalog
 * (CDROM(...)) from one through a partition table (HD(...)), then powers the machine off
 * with ResetSystem so that nothing waits for a timeout. */
#include <efi.h>
#include <efilib.h>

EFI_STATUS EFIAPI efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	EFI_LOADED_IMAGE *li = NULL;
	CHAR16 *where = NULL;

	InitializeLib(image, systab);
	if (uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li) ==
	    EFI_SUCCESS && li)
		where = DevicePathToStr(DevicePathFromHandle(li->DeviceHandle));
	Print(L"\r\ndiscmaster uefi payload\r\n");
	Print(L"boot device: %s\r\n", where ? where : L"(unknown)");
	Print(L"UEFI OK\r\n");
	uefi_call_wrapper(RT->ResetSystem, 4, EfiResetShutdown, EFI_SUCCESS, 0, NULL);
	return EFI_SUCCESS;
}
