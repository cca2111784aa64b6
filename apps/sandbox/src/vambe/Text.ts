// Realistic Spanish-language CRM text for the Vambe emulator: Chilean and Latin American businesses that sell over
// WhatsApp (clinics, insurers, real estate, education), their staff's names, task titles and notes, and the status
// configurations organizations set up in Vambe ("Pendiente", "En Progreso", "Completado" and richer variants).
import type { StatusType } from "./Model.ts"

export const ORG_NAMES: ReadonlyArray<{ readonly name: string; readonly timezone: string }> = [
  { name: "Clínica Dental Sonrisa Providencia", timezone: "America/Santiago" },
  { name: "Centro Médico Los Andes", timezone: "America/Santiago" },
  { name: "Seguros Araucaria", timezone: "America/Santiago" },
  { name: "Inmobiliaria Costa Pacífico", timezone: "America/Lima" },
  { name: "Kinesiología Movimiento Vital", timezone: "America/Santiago" },
  { name: "Instituto de Idiomas Cordillera", timezone: "America/Bogota" },
  { name: "Óptica Visión Clara", timezone: "America/Mexico_City" },
]

export const FIRST_NAMES: ReadonlyArray<string> = [
  "Camila",
  "Valentina",
  "Javiera",
  "Francisca",
  "Catalina",
  "Antonia",
  "Fernanda",
  "Constanza",
  "Daniela",
  "Sofía",
  "Matías",
  "Benjamín",
  "Sebastián",
  "Tomás",
  "Joaquín",
  "Diego",
  "Felipe",
  "Nicolás",
  "Cristóbal",
  "Ignacio",
]

export const LAST_NAMES: ReadonlyArray<string> = [
  "González",
  "Muñoz",
  "Rojas",
  "Díaz",
  "Pérez",
  "Soto",
  "Contreras",
  "Silva",
  "Martínez",
  "Sepúlveda",
  "Morales",
  "Rodríguez",
  "López",
  "Fuentes",
  "Hernández",
  "Torres",
  "Araya",
  "Flores",
  "Espinoza",
  "Valenzuela",
]

export const TITLES: ReadonlyArray<string> = [
  "Llamar al cliente para confirmar la cita",
  "Enviar cotización actualizada por WhatsApp",
  "Seguimiento de pago pendiente",
  "Confirmar documentos de la póliza",
  "Agendar evaluación inicial",
  "Responder consulta sobre precios",
  "Enviar recordatorio de control",
  "Revisar contrato con el cliente",
  "Coordinar visita a la propiedad",
  "Solicitar orden médica escaneada",
  "Validar cobertura con la isapre",
  "Enviar presupuesto de tratamiento",
  "Reagendar hora cancelada",
  "Confirmar datos de facturación",
  "Enviar encuesta de satisfacción",
  "Llamar por renovación del plan",
  "Derivar caso a supervisor",
  "Enviar link de pago",
  "Confirmar asistencia al taller",
  "Preparar ficha del paciente",
]

export const DESCRIPTIONS: ReadonlyArray<string | null> = [
  "El cliente pidió que lo llamen después de las 18:00.",
  "Escribió por WhatsApp preguntando por el valor con descuento.",
  "Falta la copia del carnet por ambos lados.",
  "Prefiere atención los sábados en la mañana.",
  "Quedó de transferir esta semana; revisar el comprobante.",
  "Consultó por convenio con Fonasa.",
  "Pidió la cotización en PDF a su correo.",
  "Reclamo por demora en la respuesta; priorizar.",
  "Viene referido por otro paciente.",
  null,
  null,
]

/** Status configurations as organizations set them up; `order` is the index, so it starts at 0. */
export const STATUS_SETS: ReadonlyArray<ReadonlyArray<{ name: string; color: string; type: StatusType }>> = [
  [
    { name: "Pendiente", color: "#f59e0b", type: "initial" },
    { name: "En Progreso", color: "#60a5fa", type: "in_progress" },
    { name: "Completado", color: "#22c55e", type: "done" },
  ],
  [
    { name: "Pendiente", color: "#f59e0b", type: "initial" },
    { name: "En Progreso", color: "#60a5fa", type: "in_progress" },
    { name: "En Revisión", color: "#a855f7", type: "in_progress" },
    { name: "Completado", color: "#22c55e", type: "done" },
    { name: "Cerrado", color: "#64748b", type: "master_done" },
  ],
  [
    { name: "Por hacer", color: "#f97316", type: "initial" },
    { name: "Contactado", color: "#38bdf8", type: "in_progress" },
    { name: "Esperando respuesta", color: "#eab308", type: "in_progress" },
    { name: "Ganado", color: "#16a34a", type: "done" },
    { name: "Finalizado", color: "#475569", type: "master_done" },
  ],
]
