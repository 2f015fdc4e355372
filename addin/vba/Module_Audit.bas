Attribute VB_Name = "Module_Audit"
' audit-poste-clients : macros des boutons de la feuille Accueil.
'
' Source : addin/vba/Module_Audit.bas (UTF-8 dans le dépôt, code page 1252 dans le classeur).
' Le projet VBA du modèle est reconstruit par tools/build_template.py : ne modifiez pas ce
' module dans Excel, modifiez ce fichier puis reconstruisez le modèle.
'
' Chaque bouton appelle Python par RunPython, la fonction du complément officiel xlwings
' (installé par « xlwings addin install »). L'appel passe par Application.Run plutôt que par
' une référence VBA au complément : le classeur se compile même sans le complément, et un
' message clair remplace l'erreur « Projet ou bibliothèque introuvable ».
Option Explicit

Private Const COMPLEMENT As String = "xlwings.xlam"
Private Const TITRE As String = "Audit du poste clients"

Public Sub LancerAuditComplet()
    LancerPython "import addin; addin.run_audit()"
End Sub

Public Sub LancerSection1()
    LancerPython "import addin; addin.run_section(1)"
End Sub

Public Sub LancerSection2()
    LancerPython "import addin; addin.run_section(2)"
End Sub

Public Sub LancerSection3()
    LancerPython "import addin; addin.run_section(3)"
End Sub

Public Sub LancerSection4()
    LancerPython "import addin; addin.run_section(4)"
End Sub

Public Sub LancerSection5()
    LancerPython "import addin; addin.run_section(5)"
End Sub

Public Sub EffacerResultats()
    LancerPython "import addin; addin.clear_results()"
End Sub

' Diagnostic sans Python : écrit « Macros actives » dans la cellule nommée EtatMacros (Accueil).
Public Sub VerifierMacros()
    ThisWorkbook.Names("EtatMacros").RefersToRange.Value = "Macros actives (" & Format(Now, "dd/mm/yyyy") & ")"
End Sub

Private Sub LancerPython(ByVal commande As String)
    On Error GoTo Echec
    Application.Run "'" & COMPLEMENT & "'!RunPython", commande
    Exit Sub
Echec:
    MsgBox "Python n'a pas pu être lancé : " & Err.Description & vbLf & vbLf & _
           "Vérifiez que le complément xlwings est installé (dans un terminal : xlwings addin install), " & _
           "puis redémarrez Excel. Réglages : feuille xlwings.conf et README.", vbExclamation, TITRE
End Sub
