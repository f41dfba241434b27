; NSIS include (electron-builder `nsis.include`): electron-builder registers `protocols` on macOS (Info.plist)
; and Linux (.desktop MimeType) but not in the Windows installer, so the per-user install writes the URL
; schemes under HKCU\Software\Classes (SHCTX is HKCU for a per-user install) and removes them on uninstall.
!macro registerScheme SCHEME DESCRIPTION
  WriteRegStr SHCTX "Software\Classes\${SCHEME}" "" "URL:${DESCRIPTION}"
  WriteRegStr SHCTX "Software\Classes\${SCHEME}" "URL Protocol" ""
  WriteRegStr SHCTX "Software\Classes\${SCHEME}\DefaultIcon" "" "$INSTDIR\${APP_EXECUTABLE_FILENAME},0"
  WriteRegStr SHCTX "Software\Classes\${SCHEME}\shell\open\command" "" '"$INSTDIR\${APP_EXECUTABLE_FILENAME}" "%1"'
!macroend

!macro customInstall
  !insertmacro registerScheme "sip" "SIP address"
  !insertmacro registerScheme "sips" "SIP address"
  !insertmacro registerScheme "im" "Instant message address"
  !insertmacro registerScheme "tel" "Telephone number"
!macroend

!macro customUnInstall
  DeleteRegKey SHCTX "Software\Classes\sip"
  DeleteRegKey SHCTX "Software\Classes\sips"
  DeleteRegKey SHCTX "Software\Classes\im"
  DeleteRegKey SHCTX "Software\Classes\tel"
!macroend
